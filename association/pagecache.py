"""A short-lived cache of the public pages for anonymous visitors.

On 科普日 thousands of people open the same few pages at once, and a link shared in WeChat
sends them all to one article or one event. For a visitor without a session (no log-in, no
flash message waiting) a GET of one of the pages the apps name (``extensions.cached_page``:
an address, a URL name such as ``"news-list"``, or the name of a page with arguments such
as ``"events:detail"``, which covers every event; and ``PUBLIC_PAGE_CACHE_PATHS``) is
answered from Redis when the same address (with its query string) was rendered in the
last ``PUBLIC_PAGE_CACHE_SECONDS`` seconds. Everything personal stays out:

- only requests without a session or messages cookie are served from or stored in it;
- a response is stored only when it is a plain 200 that set no cookie and used no CSRF
  token — a page holding a form, or one that wrote to the session, never is;
- POSTs, logged-in users and every other address are never touched.

When a copy is older than that, the next visitor's request renders the page again while
everyone else is still answered from the old copy (for at most as long again): on a busy
day a page that takes 50 ms to render is rendered once every interval, not by every
worker at once, and nobody waits behind it.

A page that must never be shown as it was (an event whose places changed, one cancelled
or edited, an article withdrawn) is forgotten when that change commits:
``forget_on_commit(path)`` gives the address a new generation, and a copy stored under an
older generation, with any query string (``?from=singlemessage``), is never served again,
not even while another request renders the page afresh. The generation is read before the
page is rendered, so a render that read the database before the change stores its copy
under the old generation and that copy is never served either.

When Redis is down the cache misses quietly and pages render as usual. ``0`` seconds turns
it off (the default under tests, so tests see their own writes at once).
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from . import extensions

PERSONAL_COOKIES = ("sessionid", "messages")
# How long one request may take to render a page again before another may try.
REFRESH_LOCK_SECONDS = 10
# How long a generation is remembered: far longer than any copy lives (2 × the cache's
# seconds); when it is gone, copies stored under it are not served (a new one is drawn).
GENERATION_SECONDS = 24 * 3600


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # A program acting for someone (the API's bearer tokens) is never answered from, nor
    # stored in, the anonymous cache.
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # The replica's pin cookie too: a browser that has just written sees the page afresh.
    if any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, settings.REPLICA_PIN_COOKIE,
                                                *PERSONAL_COOKIES)):
        return False
    path = request.path
    if path in cached_paths():
        return True
    names = _cached_names()
    if not names:
        return False
    try:
        return resolve(path).view_name in names
    except Resolver404:
        return False


def cached_paths() -> frozenset[str]:
    """The addresses the apps named (``extensions.cached_page``) and the settings add."""
    _load()
    return _cached_paths | frozenset(settings.PUBLIC_PAGE_CACHE_PATHS)


def _cached_names() -> frozenset[str]:
    """URL names of pages with arguments (an article, an event): every address they match."""
    _load()
    return _cached_url_names


def _load() -> None:
    global _cached_paths, _cached_url_names
    if _cached_paths is not None:
        return
    paths, names = set(), set()
    for page in extensions.cached_pages():
        if page.startswith("/"):
            paths.add(page)
            continue
        try:
            paths.add(reverse(page))
        except NoReverseMatch:
            names.add(page)  # a page that takes arguments
    _cached_url_names = frozenset(names)
    _cached_paths = frozenset(paths)


_cached_paths = None
_cached_url_names = frozenset()


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


def _generation_key(path: str) -> str:
    return f"publicpage:generation:{hashlib.sha256(path.encode()).hexdigest()}"


def forget(*paths: str) -> None:
    """No copy of these addresses (with any query string) stored so far is served again."""
    cache.set_many({_generation_key(path): uuid.uuid4().hex for path in paths}, GENERATION_SECONDS)


def forget_on_commit(*paths: str) -> None:
    """``forget`` once the change being written commits (at once outside a transaction):
    a copy rendered before the commit may not outlive it, one rendered after shows it."""
    transaction.on_commit(lambda: forget(*paths))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key, generation_key = _key(request), _generation_key(request.path)
        found = cache.get_many([key, generation_key])  # one round trip
        generation = found.get(generation_key)
        entry = found.get(key)  # (fresh until, generation, response)
        if not isinstance(entry, tuple) or len(entry) != 3 or entry[1] != generation:
            entry = None  # nothing stored, a copy from before a change, or in an older shape
        if entry is not None:
            fresh_until, _generation, cached = entry
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
            cache.set(key, (time.time() + seconds, generation, response), 2 * seconds)
        if entry is not None:
            cache.delete(f"{key}:refresh")
        return response
