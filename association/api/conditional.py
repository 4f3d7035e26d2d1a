"""``ETag``, ``Last-Modified`` and 304 answers for the API's GETs.

Every successful GET under ``/api/`` gets an ``ETag`` from its body (Django's
``ConditionalGetMiddleware``) and keeps the ``Last-Modified`` an endpoint set from its
rows; a client sending ``If-None-Match`` / ``If-Modified-Since`` that still match gets 304
with no body. Public answers may be kept by caches for ``API_PUBLIC_MAX_AGE`` seconds,
except those that carry places left (``LIVE_PREFIXES``), which a cache must revalidate
every time (a 304 while nothing changed); an answer given to a token is private and always
revalidated.
"""

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers

API_PREFIX = "/api/"
# Answers with live counts (the places left of events): never kept without asking again.
LIVE_PREFIXES = ("/api/v1/events/",)


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(API_PREFIX) or request.method not in ("GET", "HEAD"):
            return response
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            patch_vary_headers(response, ["Authorization"])
            if "HTTP_AUTHORIZATION" in request.META:
                patch_cache_control(response, private=True, no_cache=True)
            elif request.path.startswith(LIVE_PREFIXES):
                patch_cache_control(response, public=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=settings.API_PUBLIC_MAX_AGE)
        return super().process_response(request, response)


def last_modified(response, *moments) -> None:
    """Set ``Last-Modified`` on the temporal response of an endpoint to the latest moment."""
    from django.utils.http import http_date

    latest = max((m for m in moments if m is not None), default=None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
