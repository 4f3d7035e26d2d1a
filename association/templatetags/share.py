"""Share cards: the Open Graph and Twitter tags that WeChat and other apps read when a link
is shared. Each page that is worth sharing fills ``{% block share %}`` of base.html with
``{% share_card title=… description=… image=… kind="article" %}``; every address in the
card is absolute, built on ``SITE_URL`` (the public address), never on the request's host."""

from django import template
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.text import Truncator

register = template.Library()

DEFAULT_IMAGE = "img/share.jpg"


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + ("" if url.startswith("/") else "/") + url


def _image_url(image) -> str:
    """A file field (skipped when empty), a URL, or nothing (the association's card)."""
    if isinstance(image, FieldFile):
        image = image.url if image else ""
    return absolute(image or static(DEFAULT_IMAGE))


@register.inclusion_tag("includes/share_card.html", takes_context=True)
def share_card(context, title, description="", image=None, kind="article"):
    request = context.get("request")
    site = context.get("site")
    description = " ".join(strip_tags(str(description or "")).split())
    return {
        "title": str(title),
        "description": Truncator(description).chars(120) if description else "",
        "image": _image_url(image),
        "url": absolute(request.path) if request is not None else "",
        "kind": kind,
        "site_name": getattr(site, "name", ""),
    }
