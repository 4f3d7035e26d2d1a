"""PDF helpers shared by certificates and reports: a CJK font that reportlab can embed, and
text that people typed made safe to set (``paragraph_text``, ``plain_text``)."""

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from .textinput import clean_text

# TrueType-outline CJK fonts that reportlab can embed, in order of preference.
CANDIDATES = [
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
]
FALLBACK_CID = "STSong-Light"


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register and return the name of a font that covers Chinese."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    for name, path, index in CANDIDATES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
            return name
    # Not embedded: viewers substitute a Song face. Installing fonts-wqy-microhei is better.
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    return FALLBACK_CID


def paragraph_text(value) -> str:
    """``value`` for a reportlab ``Paragraph``, which reads its text as markup: shown as typed.

    ``<b>``, ``<font color=white>``, ``<a href=…>`` or a lone ``&`` in a name or a title
    would otherwise change the document (hide text, add a link) or stop it being built;
    control characters would print as gaps or boxes.
    """
    return escape(plain_text(value))


def plain_text(value) -> str:
    """``value`` for text drawn without markup (page headers, chart labels, legends):
    without control characters."""
    return clean_text("" if value is None else str(value))
