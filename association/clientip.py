"""The client's network address: one answer for rate limits, log-in lockout, the audit log
and the access log.

Behind a reverse proxy the socket address (``REMOTE_ADDR``) is the proxy's, the same for
everyone; the client's own address is in ``X-Forwarded-For``, which each proxy extends with
the address it received the request from. Only the entries written by our own proxies can
be trusted: anything to their left was sent by the client and may be invented. So the
address is read from the right of the chain (``X-Forwarded-For`` followed by the socket
address), as configured once:

- ``PROXY_COUNT`` = N: N proxies of ours stand in front of gunicorn; the client is the N-th
  entry from the right (with nginx alone, N = 1: the entry nginx appended);
- or ``PROXY_TRUSTED_IPS``: the addresses (or networks) of our proxies, nearest last; the
  request must have come through them, and the client is the entry to their left.

With neither set (the default) the header is ignored and the socket address is the client:
nobody can choose their address by sending ``X-Forwarded-For``.

The reading itself is python-ipware's (through django-ipware's dependency); this module
only feeds it the chain and the configuration.
"""

from functools import lru_cache

from django.conf import settings
from python_ipware import IpWare

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
_CHAIN = "HTTP_X_PORTAL_ADDRESS_CHAIN"


@lru_cache(maxsize=8)
def _reader(proxy_count: int, trusted: tuple[str, ...]) -> IpWare:
    return IpWare(
        precedence=(_CHAIN,),
        leftmost=True,
        proxy_count=proxy_count if not trusted else None,
        proxy_list=list(trusted) or None,
    )


def proxies_configured() -> bool:
    return bool(settings.PROXY_COUNT or settings.PROXY_TRUSTED_IPS)


def address_from_meta(meta) -> str:
    """The client's address from a WSGI environ or ``request.META``; "" when unknown."""
    remote = (meta.get("REMOTE_ADDR") or "").strip()
    if not proxies_configured():
        return remote
    forwarded = meta.get(FORWARDED_FOR) or ""
    if not isinstance(forwarded, str):
        return remote
    chain = f"{forwarded}, {remote}" if forwarded.strip() else remote
    ip, _trusted = _reader(settings.PROXY_COUNT, tuple(settings.PROXY_TRUSTED_IPS)).get_client_ip({_CHAIN: chain})
    # No address where the configuration says it must be (a request that did not come
    # through the proxies, or a chain too short): the socket address is all we know.
    return str(ip) if ip is not None else remote


def client_ip(request) -> str:
    """The client's address for this request, worked out once and kept on the request."""
    if request is None:
        return ""
    cached = getattr(request, "_client_ip", None)
    if cached is None:
        cached = address_from_meta(request.META)
        try:
            request._client_ip = cached
        except AttributeError:  # an object that takes no attributes: work it out each time
            pass
    return cached


def ratelimit_ip(request) -> str:
    """django-ratelimit's ``key="ip"`` (``RATELIMIT_IP_META_KEY``)."""
    return client_ip(request)
