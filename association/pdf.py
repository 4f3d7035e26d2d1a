"""PDF helpers shared by certificates and reports: a CJK font that reportlab can embed."""

from functools import lru_cache
from pathlib import Path

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
