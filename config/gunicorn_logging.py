"""Gunicorn's access log without the secrets some addresses carry.

A sign-up's or an order's private link, a password-reset link and the check-in or
certificate codes in query strings open someone's page to whoever holds them; an access
log is read by more people than those links were sent to. ``PrivateLinkLogger`` writes
such parts of the request line, path, query string and referrer as ``***``, by the one list
of private links that masks the portal's own log too (``association.logfilters``). It also
writes the client's address as the rest of the portal reads it (``association.clientip``),
not the proxy's. ``gunicorn.conf.py`` at the top of the project makes gunicorn use it.
"""

from gunicorn.glogging import Logger

from association.logfilters import mask


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
