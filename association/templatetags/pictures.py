"""``{% picture file alt sizes="…" %}``: an uploaded picture with ``srcset`` of its WebP
copies (association/images.py), its width and height (no layout shift), lazy loading unless
``eager`` (pictures below the fold are lazy; the first one seen is not), and
``fetchpriority="high"`` with ``priority``. ``{% picture_preload file sizes="…" %}`` is the
``<link rel="preload">`` for the page's largest picture (LCP), put in ``{% block head %}``."""

from django import template
from django.utils.html import format_html, format_html_join

from association import images

register = template.Library()


def _srcset(pic, storage) -> str:
    return ", ".join(f"{storage.url(c.name)} {c.width}w" for c in pic.copies)


@register.simple_tag
def picture(file, alt="", sizes="100vw", css="", eager=False, priority=False, width=None, height=None):
    pic = images.picture(file)
    if pic is None:
        if not file:
            return ""
        return format_html('<img src="{}" alt="{}" class="{}" loading="lazy" decoding="async">', file.url, alt, css)
    storage = file.storage
    # The src for browsers without srcset: the copy nearest 960 px wide.
    fallback = min(pic.copies, key=lambda c: abs(c.width - 960))
    attrs = [("src", storage.url(fallback.name)), ("srcset", _srcset(pic, storage)), ("sizes", sizes),
             ("width", width or pic.width), ("height", height or pic.height), ("alt", alt)]
    if css:
        attrs.append(("class", css))
    if priority:
        attrs.append(("fetchpriority", "high"))
    if not (eager or priority):
        attrs.append(("loading", "lazy"))
    attrs.append(("decoding", "async" if not priority else "auto"))
    return format_html("<img {}>", format_html_join(" ", '{}="{}"', attrs))


@register.simple_tag
def picture_preload(file, sizes="100vw"):
    pic = images.picture(file)
    if pic is None:
        return ""
    return format_html('<link rel="preload" as="image" imagesrcset="{}" imagesizes="{}" fetchpriority="high">',
                       _srcset(pic, file.storage), sizes)
