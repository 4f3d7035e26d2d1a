"""Serving public uploads (``MEDIA_ROOT``) so that none of them can act as a web page.

In production the reverse proxy serves ``/media/`` with the same rules (see README):
only images and PDFs get their own type, everything else is a download of
``application/octet-stream``; ``X-Content-Type-Options: nosniff`` and a CSP that allows
nothing to run are on every answer. This view does the same for ``DEBUG`` and for a
deployment without a proxy (``SERVE_MEDIA=1``). Private files never come through here:
they live outside ``MEDIA_ROOT`` and go out only through permission-checked views.
"""

import os
import posixpath

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

# The only types shown in the browser; the type comes from the (re-encoded) file's name,
# and anything else is sent as a download.
INLINE_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp",
    ".pdf": "application/pdf",
}
SANDBOX_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def safe_headers(response, name: str):
    ext = os.path.splitext(name)[1].lower()
    content_type = INLINE_TYPES.get(ext)
    if content_type is None:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    else:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
def serve_public_media(request, path: str):
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or any(part.startswith(".") for part in path.split("/")):
        raise Http404
    try:
        full = safe_join(str(settings.MEDIA_ROOT), path)
    except Exception as exc:  # SuspiciousFileOperation: outside MEDIA_ROOT
        raise Http404 from exc
    if not os.path.isfile(full):
        raise Http404
    response = FileResponse(open(full, "rb"))  # noqa: SIM115 - FileResponse closes it
    return safe_headers(response, full)
