"""Gunicorn's access log without the secrets some addresses carry.

A sign-up's or an order's private link, a password-reset link and the check-in or
certificate codes in query strings open someone's page to whoever holds them; an access
log is read by more people than those links were sent to. ``PrivateLinkLogger`` writes
such parts of the request line, path, query string and referrer as ``***``.
It also writes the client's address as the rest of the portal reads it
(``association.clientip``), not the proxy's. ``gunicorn.conf.py`` at the top of the
project makes gunicorn use it.
"""

import re

from gunicorn.glogging import Logger

SECRET_PATHS = [
    re.compile(r"(/events/registration/)[^/?#\s]+"),
    re.compile(r"(/volunteers/orders/)[^/?#\s]+"),
    re.compile(r"(/volunteers/certificates/verify/)[^/?#\s]+"),
    re.compile(r"(/accounts/reset/)[^/?#\s]+/[^/?#\s]+"),
]
SECRET_QUERY = [
    re.compile(r"((?:^|[?&])(?:code|token|key)=)[^&#\s]*", re.IGNORECASE),
    # the same inside another parameter, e.g. the log-in page's ?next=/events/1/check-in/%3Fcode%3D…
    re.compile(r"((?:%3F|%26)(?:code|token|key)%3D)(?:(?!%26)[^&#\s])*", re.IGNORECASE),
]


def mask(text: str | None) -> str | None:
    if not text:
        return text
    for pattern in (*SECRET_PATHS, *SECRET_QUERY):
        text = pattern.sub(r"\1***", text)
    return text


class PrivateLinkLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The client's own address behind the proxies, as the portal reads it everywhere.
        from association.clientip import address_from_meta

        atoms["h"] = address_from_meta(environ) or atoms.get("h", "-")
        for key in ("r", "U", "q", "f", "{referer}i"):
            if key in atoms:
                atoms[key] = mask(atoms[key])
        return atoms
