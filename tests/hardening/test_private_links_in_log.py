"""Private links never reach the application log, not even through Django's own warnings
("Not Found: /events/registration/<token>/")."""

import copy
import io
import logging

import pytest
from django.test import Client
from django.utils.log import configure_logging

from association.logfilters import PrivateLinkFilter

pytestmark = pytest.mark.django_db

@pytest.fixture
def portal_log(settings):
    """What the portal's log handler writes, configured from the settings."""
    stream = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["stream"] = stream
    configure_logging(settings.LOGGING_CONFIG, config)
    yield stream
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_private_links_in_djangos_own_warnings_are_masked(client, portal_log):
    client.get("/events/registration/SECRETsignup111/")
    client.get("/volunteers/orders/SECRETorder222/")
    Client(enforce_csrf_checks=True).post("/events/registration/SECRETcancel333/cancel/")
    logging.getLogger("django.server").info('"%s" %s %s', "GET /accounts/reset/MQ/SECRETreset444/ HTTP/1.1", "200", "5")
    try:
        raise ValueError("no order /volunteers/orders/SECRETtrace555/")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: %s", "/events/1/check-in/?code=SECRET666")

    log = portal_log.getvalue()
    assert "Not Found: /events/registration/***/" in log
    assert "Not Found: /volunteers/orders/***/" in log
    assert "/events/registration/***/cancel/" in log and "CSRF" in log
    assert "GET /accounts/reset/***/ HTTP/1.1" in log
    assert "ValueError: no order /volunteers/orders/***/" in log and "?code=***" in log
    assert "SECRET" not in log


def test_every_handler_djangos_warnings_reach_masks_private_links(portal_log):
    for name in ("django.request", "django.security.csrf", "django.server"):
        logger, handlers = logging.getLogger(name), []
        while logger:
            handlers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
            logger = logger.parent if logger.propagate else None
        assert handlers, name
        for handler in handlers:
            assert any(isinstance(f, PrivateLinkFilter) for f in handler.filters), (name, handler)
