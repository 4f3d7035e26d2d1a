"""Rich text that staff write (news bodies, fixed pages): the editor's features and the
sanitiser that keeps only what those features produce.

The editor is django-prose-editor (ProseMirror, its assets served from our own static
files, so it works without internet access). Whatever reaches the database has gone
through :func:`sanitize_html`, which uses nh3 (the Rust ``ammonia`` sanitiser) with an
allowlist: no scripts, no event handlers, no ``style``, no ``javascript:`` links, and
every link gets ``rel="noopener noreferrer nofollow"``.
"""

import html
import re

import nh3

# What staff can do in the editor. Headings start at h2: the page title is the h1.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "HTML": True,
    # Chinese toolbar titles (static/association/js/prose-editor-zh.js); no HTML of its own.
    "ChineseMenu": True,
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "hr",
    "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed together with what they contain (the text of a script is no article text).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_text_cleaner = nh3.Cleaner(tags=set(), clean_content_tags=DROPPED_WITH_CONTENT, attributes={})
_EMPTY = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|td|th|tr|figcaption)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u3000]+")


def sanitize_html(value: str) -> str:
    """The allowlisted HTML of ``value``; an editor's empty paragraph becomes ``""``."""
    if not value:
        return ""
    cleaned = _cleaner.clean(value).strip()
    return "" if _EMPTY.match(cleaned) else cleaned


def html_to_text(value: str) -> str:
    """Readable plain text of rich text: block ends become line breaks, entities decoded."""
    if not value:
        return ""
    text = _text_cleaner.clean(_BLOCK_END.sub(lambda m: m.group(0) + "\n", value))
    text = html.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def excerpt(value: str, length: int = 120) -> str:
    """The first ``length`` characters of the text of ``value``, on one line."""
    text = html_to_text(value).replace("\n", " ")
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
