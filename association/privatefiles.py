"""Sending a private file (claim evidence, seals, certificates, report files, rosters,
nomination materials) to someone a view has already allowed to read it.

The file may live on this node's disk (``PRIVATE_MEDIA_ROOT``) or in object storage
(``STORAGE_S3_BUCKET``, README: Scaling out); the views never ask which, and never use a
file's ``.path``, which object storage does not have. Two ways out, both only after the
view's permission check and audit entry:

- streamed through the view (the default): the node reads the file from the storage and
  sends it, so the storage needs no route to the browser;
- with ``PRIVATE_FILE_REDIRECT=1`` and a storage that signs links (S3), a redirect to a
  link signed for ``PRIVATE_FILE_LINK_SECONDS`` (60 s) that names the file and its type, so
  large files do not pass through a web worker. A link that leaks is dead within a minute,
  and nothing under the private prefix is readable without one.

A file that has gone (removed by retention, or lost) is a 404 with the view's message, on
either storage.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header


def signs_links(storage) -> bool:
    """Whether the storage hands out time-limited signed links (django-storages' S3)."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def private_file_response(field, *, filename: str, content_type: str | None = None, as_attachment: bool = True,
                          missing: str = "文件已不存在。"):
    """The answer that hands ``field`` (a FieldFile of private storage) to the reader."""
    if not field:
        raise Http404(missing)
    storage = field.storage
    if settings.PRIVATE_FILE_REDIRECT and signs_links(storage):
        if not storage.exists(field.name):
            raise Http404(missing)
        parameters = {"ResponseContentDisposition": content_disposition_header(as_attachment, filename),
                      "ResponseCacheControl": "private, no-store"}
        if content_type:
            parameters["ResponseContentType"] = content_type
        url = storage.url(field.name, parameters=parameters, expire=settings.PRIVATE_FILE_LINK_SECONDS)
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404(missing) from exc
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
