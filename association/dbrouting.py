"""Reads that tolerate a little delay go to a PostgreSQL streaming replica.

With ``DATABASE_REPLICA_URL`` set, the database alias ``replica`` exists and
``DATABASE_REPLICA_READS`` is on. Which reads may use it is decided per request, by
address, never per query:

- the pages the apps name (``extensions.replica_read``, by URL name or address: the
  leaders' dashboard, the heavy public lists and the API's public lists) and the addresses
  in ``REPLICA_READ_PATHS`` (one ending in ``*`` covers what starts with it), for GET and
  HEAD only. ``ReplicaReadMiddleware`` marks such a request and
  ``ReplicaRouter`` then sends its plain reads to the replica;
- ``replica_reads()`` marks a block of code the same way (a report a worker builds).

Everything else stays on the primary, as with no replica at all:

- every write, and every read of a write — ``select_for_update()``, ``get_or_create()``
  and any read inside ``transaction.atomic()`` (a row locked and then read again must be
  the primary's);
- sign-ups, counters, forms: their pages are not named, and a POST is never marked;
- the pages a browser reads right after it wrote: any POST (PUT, PATCH, DELETE) sets the
  ``REPLICA_PIN_COOKIE`` cookie for ``REPLICA_PIN_SECONDS``, and while the browser sends
  it every request is the primary's (and the anonymous page cache passes it by). Someone
  who has just signed up reads their own sign-up even while the replica is minutes
  behind; the seconds need only be longer than the lag the replica is allowed
  (``/healthz`` shows it, README: Scaling out).

A replica that falls behind by more than ``REPLICA_MAX_LAG_SECONDS``, or does not answer,
is left alone: each process asks it its lag at most every ``REPLICA_CHECK_SECONDS`` and
meanwhile sends every read to the primary (``/healthz`` says "degraded" and why).

The cookie says nothing about the person and forging it only sends one's own reads to the
primary, so it is neither signed nor tied to the session (an anonymous sign-up has none).
"""

import contextvars
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections

from . import extensions

REPLICA = "replica"
_replica_ok = contextvars.ContextVar("replica_ok", default=False)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def replica_configured() -> bool:
    return settings.DATABASE_REPLICA_READS and REPLICA in connections.settings


def reads_may_lag() -> bool:
    """Whether reads here may come from the replica now (a page that tolerates delay)."""
    return _replica_ok.get() and replica_configured()


@contextmanager
def replica_reads():
    """Reads in this block (outside transactions) may come from the replica."""
    token = _replica_ok.set(True)
    try:
        yield
    finally:
        _replica_ok.reset(token)


@contextmanager
def primary_reads():
    """Reads in this block come from the primary, whatever the request allowed."""
    token = _replica_ok.set(False)
    try:
        yield
    finally:
        _replica_ok.reset(token)


class ReplicaRouter:
    """``DATABASE_ROUTERS``: a read goes to the replica only when it is configured, the
    request or block allowed it and the primary holds no transaction of this process."""

    def db_for_read(self, model, **hints):
        if not _replica_ok.get() or not replica_configured():
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def replica_paths() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """(URL names, exact addresses, address prefixes) whose GETs may read from the replica:
    what the apps registered and what the settings add."""
    entries = [*extensions.replica_read_pages(), *settings.REPLICA_READ_PATHS]
    names = frozenset(e for e in entries if not e.startswith("/"))
    addresses = frozenset(e for e in entries if e.startswith("/") and not e.endswith("*"))
    prefixes = tuple(e[:-1] for e in entries if e.startswith("/") and e.endswith("*"))
    return names, addresses, prefixes


def pinned(request) -> bool:
    """Whether this browser wrote within the last ``REPLICA_PIN_SECONDS``."""
    try:
        until = float(request.COOKIES.get(settings.REPLICA_PIN_COOKIE, 0))
    except ValueError:
        return False
    return until > time.time()


def request_may_use_replica(request, resolver_match=None) -> bool:
    if request.method not in ("GET", "HEAD") or pinned(request):
        return False
    names, addresses, prefixes = replica_paths()
    match = resolver_match or request.resolver_match
    if match is not None and match.view_name in names:
        return True
    return request.path in addresses or (bool(prefixes) and request.path.startswith(prefixes))


class ReplicaReadMiddleware:
    """Marks the requests whose reads may come from the replica, and pins to the primary
    the browser that has just written (see the module's notes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_ok.set(False)
        try:
            response = self.get_response(request)
        finally:
            _replica_ok.reset(token)
        # Without a replica there is nothing to pin to: no cookie (and the page cache
        # keeps serving the browser).
        if request.method not in SAFE_METHODS and settings.REPLICA_PIN_SECONDS and replica_configured():
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(settings.REPLICA_PIN_COOKIE, f"{time.time() + seconds:.0f}", max_age=seconds,
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_configured() and request_may_use_replica(request) and replica_usable():
            _replica_ok.set(True)  # reset by __call__ when the response is made
        return None


# This process's last look at the replica: (monotonic time, usable, lag or error).
_last_look = {"at": None, "usable": False, "lag": None, "error": ""}


def replica_usable() -> bool:
    """Whether the replica answered and was within ``REPLICA_MAX_LAG_SECONDS`` when this
    process last asked (at most ``REPLICA_CHECK_SECONDS`` ago)."""
    now = time.monotonic()
    if _last_look["at"] is None or now - _last_look["at"] >= settings.REPLICA_CHECK_SECONDS:
        _last_look["at"] = now
        try:
            lag = replica_lag_seconds()
        except DatabaseError as exc:
            connections[REPLICA].close()  # a fresh connection next time
            _last_look.update(usable=False, lag=None, error=f"{type(exc).__name__}: {exc}"[:200])
        else:
            _last_look.update(usable=lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS, lag=lag, error="")
    return _last_look["usable"]


def replica_state() -> dict:
    """For /healthz: the replica's lag now, and whether reads go to it."""
    _last_look["at"] = None  # ask afresh
    usable = replica_usable()
    return {"usable": usable, "lag_seconds": None if _last_look["lag"] is None else round(_last_look["lag"], 1),
            "max_lag_seconds": settings.REPLICA_MAX_LAG_SECONDS, "error": _last_look["error"]}


def replica_lag_seconds() -> float | None:
    """How far the replica's replay is behind (seconds since the last transaction it
    replayed, 0 when it has replayed all it received); None without a replica."""
    if REPLICA not in connections.settings:
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
        )
        return float(cursor.fetchone()[0])
