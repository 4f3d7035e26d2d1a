"""A short-lived cache of the public list pages for anonymous visitors.

On 科普日 thousands of people open the same few pages at once. For a visitor without a
session (no log-in, no flash message waiting) a GET of one of the pages the apps name
(``extensions.cached_page``, and ``PUBLIC_PAGE_CACHE_PATHS``)
is answered from Redis when the same address (with its query string) was rendered in the
last ``PUBLIC_PAGE_CACHE_SECONDS`` seconds. Everything personal stays out:

- only requests without a session or messages cookie are served from or stored in it;
- a response is stored only when it is a plain 200 that set no cookie and used no CSRF
  token — a page holding a form, or one that wrote to the session, never is;
- POSTs, logged-in users and every other address are never touched.

When a copy is older than that, the next visitor's request renders the page again while
everyone else is still answered from the old copy (for at most as long again): on a busy
day a page that takes 50 ms to render is rendered once every interval, not by every
worker at once, and nobody waits behind it.

When Redis is down the cache misses quietly and pages render as usual. ``0`` seconds turns
it off (the default under tests, so tests see their own writes at once).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from . import extensions

PERSONAL_COOKIES = ("sessionid", "messages")
# How long one request may take to render a page again before another may try.
REFRESH_LOCK_SECONDS = 10


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # The replica's pin cookie too: a browser that has just written sees the page afresh.
    if any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, settings.REPLICA_PIN_COOKIE,
                                                *PERSONAL_COOKIES)):
        return False
    return request.path in cached_paths()


def cached_paths() -> frozenset[str]:
    """The addresses the apps named (``extensions.cached_page``) and the settings add."""
    global _cached_paths
    if _cached_paths is None:
        from django.urls import reverse

        named = {page if page.startswith("/") else reverse(page) for page in extensions.cached_pages()}
        _cached_paths = frozenset(named)
    return _cached_paths | frozenset(settings.PUBLIC_PAGE_CACHE_PATHS)


_cached_paths = None


def _cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token: it belongs to this visitor
    # "Vary: Cookie" is on nearly every page (the header reads the log-in state); without a
    # session cookie that state is "anonymous" for everyone, and a view that wrote to the
    # session would have set its cookie (refused above).
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def _key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"publicpage:{request.method}:{digest}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        entry = cache.get(key)  # (fresh until, response)
        if not isinstance(entry, tuple):
            entry = None  # nothing stored (or a copy in another shape from before an upgrade)
        if entry is not None:
            fresh_until, cached = entry
            if time.time() < fresh_until:
                cached["X-Page-Cache"] = "hit"
                return cached
            if not cache.add(f"{key}:refresh", 1, REFRESH_LOCK_SECONDS):
                cached["X-Page-Cache"] = "stale"  # another request is rendering it now
                return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            cache.set(key, (time.time() + seconds, response), 2 * seconds)
        if entry is not None:
            cache.delete(f"{key}:refresh")
        return response
