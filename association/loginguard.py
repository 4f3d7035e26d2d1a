"""Log-in limits that stop guessing without handing anyone a way to lock others out.

Three keys, three answers:

- **an account from one address**: django-axes locks the pair after ``AXES_FAILURE_LIMIT``
  failures for the cool-off (``AXES_LOCKOUT_PARAMETERS``). The owner at another address
  is untouched, and so is everyone else at this one.
- **an account from anywhere**: after ``LOGIN_ACCOUNT_SLOWDOWN_AFTER`` failures each further
  try must wait longer (1 s, 2 s, 4 s … at most the cool-off) and is refused unread until
  then. A browser that has logged in to the account before is exempt (a signed cookie),
  so the owner at their own desk never waits, and the e-mailed reset link clears it all.
- **an address, across accounts**: after ``LOGIN_FAILURES_PER_ADDRESS`` failures the form
  asks for a picture code there. An office or a school shares one address: nobody is
  locked out for a colleague's typing.

The counters live in Redis and fail open (axes' own records are in the database).
"""

import logging
import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse

from .clientip import client_ip
from .crypto import lookup_hash

log = logging.getLogger(__name__)

KNOWN_BROWSER_COOKIE = "kx_known"
KNOWN_BROWSER_SALT = "association.loginguard.known-browser"
KNOWN_BROWSER_ACCOUNTS = 5
ACCOUNT_WINDOW_SECONDS = 24 * 3600


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME * 3600)


def _account_digest(username: str) -> str:
    return lookup_hash((username or "").strip().lower()[:300], purpose="login-account")


def _address_key(request) -> str:
    return f"login-failures:address:{client_ip(request)}"


def _account_keys(username: str) -> tuple[str, str]:
    digest = _account_digest(username)
    return f"login-failures:account:{digest}", f"login-failures:account-next:{digest}"


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)  # the window starts at the first failure
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout)
        return 1


# -- what the log-in page asks before it looks at a password ----------------------------


def known_browser(request, username: str) -> bool:
    """This browser has logged in to this account before."""
    raw = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not raw or not username:
        return False
    try:
        digests = signing.loads(raw, salt=KNOWN_BROWSER_SALT, max_age=settings.LOGIN_KNOWN_BROWSER_DAYS * 86400)
    except signing.BadSignature:
        return False
    return isinstance(digests, list) and _account_digest(username) in digests


def account_wait_seconds(request, username: str) -> int:
    """Seconds before this account may be tried again from here; 0 when it may now."""
    if not username or known_browser(request, username):
        return 0
    try:
        next_try = cache.get(_account_keys(username)[1])
    except Exception:  # noqa: BLE001 - Redis down: the per-address lock of axes still holds
        log.warning("log-in limits unavailable")
        return 0
    return max(0, int(next_try - time.time()) + 1) if next_try else 0


def address_needs_challenge(request, username: str = "") -> bool:
    """Many failed log-ins from this address lately: ask for a picture code (not from a
    browser that has logged in to this account before)."""
    if username and known_browser(request, username):
        return False
    try:
        return (cache.get(_address_key(request)) or 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
    except Exception:  # noqa: BLE001
        log.warning("log-in limits unavailable")
        return False


def slowed_down_response(request, wait_seconds: int):
    minutes, seconds = divmod(wait_seconds, 60)
    wait = f"{minutes} 分 {seconds} 秒" if minutes else f"{seconds} 秒"
    return render(request, "registration/slowed_down.html", {"wait": wait}, status=429)


# -- what happens after ---------------------------------------------------------------------


def _record_failure(sender, credentials=None, request=None, **kwargs):
    if request is None:
        return
    username = (credentials or {}).get("username") or ""
    try:
        _incr(_address_key(request), _cooloff_seconds())
        if username:
            count_key, next_key = _account_keys(username)
            failures = _incr(count_key, ACCOUNT_WINDOW_SECONDS)
            over = failures - settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER
            if over >= 0:
                wait = min(2 ** min(over, 20), _cooloff_seconds())
                cache.set(next_key, time.time() + wait, wait + 1)
    except Exception:  # noqa: BLE001
        log.warning("log-in limits unavailable")


user_login_failed.connect(_record_failure, dispatch_uid="association-loginguard-failures")


def remember_browser(request, response, user) -> None:
    """After a successful log-in: this browser is known for this account from now on."""
    digests = []
    raw = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if raw:
        try:
            loaded = signing.loads(raw, salt=KNOWN_BROWSER_SALT, max_age=settings.LOGIN_KNOWN_BROWSER_DAYS * 86400)
            digests = [d for d in loaded if isinstance(d, str)] if isinstance(loaded, list) else []
        except signing.BadSignature:
            digests = []
    digest = _account_digest(user.get_username())
    digests = ([d for d in digests if d != digest] + [digest])[-KNOWN_BROWSER_ACCOUNTS:]
    response.set_cookie(
        KNOWN_BROWSER_COOKIE, signing.dumps(digests, salt=KNOWN_BROWSER_SALT),
        max_age=settings.LOGIN_KNOWN_BROWSER_DAYS * 86400, path=reverse("login"), secure=settings.SESSION_COOKIE_SECURE,
        httponly=True, samesite="Lax",
    )


def clear_account(username: str) -> None:
    """The owner proved they hold the account's e-mail (reset link): every limit on it ends."""
    from axes.utils import reset

    reset(username=username)
    try:
        cache.delete_many(list(_account_keys(username)))
    except Exception:  # noqa: BLE001
        log.warning("log-in limits unavailable")
