"""Icons as one SVG sprite holding only the glyphs the portal uses (Bootstrap Icons, MIT).

Templates write ``{% icon "geo-alt" %}`` (a builtin tag, see templatetags/icons.py); it
renders ``<svg class="bi"><use href="…/img/icons.svg#geo-alt"></use></svg>``, so a page
loads a few KB of symbols once instead of a 134 KB icon font. ``manage.py build_icons``
writes the sprite (committed) from the Bootstrap Icons package, taking the names from:

- templates: every ``{% icon "name" %}`` with a literal name;
- Python: every ``icon="name"`` keyword (``extensions.link(…, icon=…)``) and the values of
  a dict assigned to a name ending in ``ICONS`` (``KIND_ICONS`` of the events app).

Both are read as text (templates) and syntax trees (Python), so the core imports no app.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

SPRITE = "img/icons.svg"
VERSION = "1.13.2"
TEMPLATE_ICON = re.compile(r"""{%\s*icon\s+["']([a-z0-9-]+)["']""")
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "media", "private_media", ".cache", "tests", "migrations"}


def _files(root: Path, suffix: str):
    for path in root.rglob(f"*{suffix}"):
        if not SKIP_DIRS.intersection(path.relative_to(root).parts):
            yield path


def names_in_templates(root: Path) -> set[str]:
    return {name for path in _files(root, ".html") for name in TEMPLATE_ICON.findall(path.read_text("utf-8"))}


def names_in_python(root: Path) -> set[str]:
    found = set()
    for path in _files(root, ".py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "icon" and isinstance(node.value, ast.Constant):
                found.add(node.value.value)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                isinstance(t, ast.Name) and t.id.endswith("ICONS") for t in node.targets
            ):
                found.update(v.value for v in node.value.values if isinstance(v, ast.Constant))
    return {name for name in found if isinstance(name, str) and name}


def used_names(root: Path | None = None) -> set[str]:
    root = Path(root or settings.BASE_DIR)
    return names_in_templates(root) | names_in_python(root)


def sprite_path() -> Path:
    return Path(settings.BASE_DIR) / "static" / SPRITE


def names_in_sprite(path: Path | None = None) -> set[str]:
    return set(re.findall(r'<symbol id="([a-z0-9-]+)"', (path or sprite_path()).read_text("utf-8")))


def build_sprite(names, source: Path) -> str:
    """The sprite of ``names`` from the package's ``icons/`` folder; KeyError-like
    FileNotFoundError names a glyph the package lacks."""
    symbols = []
    for name in sorted(names):
        svg = (source / f"{name}.svg").read_text("utf-8")
        view_box = re.search(r'viewBox="([^"]+)"', svg).group(1)
        inner = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
        inner = " ".join(inner.split())
        symbols.append(f'<symbol id="{name}" viewBox="{view_box}">{inner}</symbol>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg">'
        f"<!-- Bootstrap Icons {VERSION} (MIT, https://icons.getbootstrap.com); made by manage.py build_icons -->\n"
        + "\n".join(symbols) + "\n</svg>\n"
    )
