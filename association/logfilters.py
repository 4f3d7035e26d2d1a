"""Private links kept out of every log: one list of them, and a logging filter.

A sign-up's or an order's private link, a password-reset link and the check-in or
certificate codes in query strings open someone's page to whoever holds them; a log is
read by more people than those links were sent to. ``mask`` writes such parts of a text
as ``***``. It serves twice:

- ``PrivateLinkFilter``, on the portal's log handler (``LOGGING`` in settings), masks every
  line, Django's own included: ``Not Found: /events/registration/<token>/`` after a
  mistyped link, ``Forbidden (CSRF cookie not set.): …`` and the development server's
  request lines;
- the project's gunicorn logger masks gunicorn's access log with it.

The apps name their private addresses (``extensions.private_link``); codes and tokens in
query strings are masked whatever the address.
"""

import logging
import re

from . import extensions

SECRET_QUERY = [
    re.compile(r"((?:^|[?&])(?:code|token|key)=)[^&#\s\"']*", re.IGNORECASE),
    # the same inside another parameter, e.g. the log-in page's ?next=/events/1/check-in/%3Fcode%3D…
    re.compile(r"((?:%3F|%26)(?:code|token|key)%3D)(?:(?!%26)[^&#\s\"'])*", re.IGNORECASE),
]


def mask(text: str | None) -> str | None:
    if not text:
        return text
    for pattern in (*extensions.private_links(), *SECRET_QUERY):
        text = pattern.sub(r"\1***", text)
    return text


class PrivateLinkFilter(logging.Filter):
    """Masks private links in a record's message and traceback; lets every record through.

    The record is rewritten in place (message formatted once, arguments dropped), so the
    handlers after this one see it masked too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a malformed call: leave the record as logging would)
            return True
        masked = mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
