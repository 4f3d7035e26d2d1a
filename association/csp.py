"""Content-Security-Policy: no inline script anywhere.

The one inline ``<script>`` the portal renders is the rich-text editor's import map in
the staff admin (a JSON document the browser needs inline). Rather than allowing inline
script, its exact hash is added to ``script-src``; the hash is of our own import map,
computed once, never of anything found in a response.
"""

import base64
import hashlib
import re
from functools import lru_cache

from csp.middleware import CSPMiddleware


@lru_cache(maxsize=1)
def _importmap_hashes() -> tuple[str, ...]:
    try:
        from django_prose_editor.widgets import importmap
    except ImportError:
        return ()
    match = re.fullmatch(r"<script[^>]*>(.*)</script>", str(importmap), flags=re.S)
    if not match:
        return ()
    digest = base64.b64encode(hashlib.sha256(match.group(1).encode()).digest()).decode()
    return (f"'sha256-{digest}'",)


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/"):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), *_importmap_hashes()]
            parts.update = update
        return parts
