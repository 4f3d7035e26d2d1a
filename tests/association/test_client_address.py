"""The client's address comes from one place, set by the proxies of ours in front.

Behind nginx (PROXY_COUNT=1) every person keeps their own address for the form limits, the
log-in lockout and the audit log; with no proxy configured, X-Forwarded-For is ignored so
nobody can choose their address.
"""

import pytest
from axes.models import AccessAttempt

from association.models import AuditEntry
from events.models import Registration
from tests.association.factories import UserFactory
from tests.events.factories import EventFactory, mobile

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"


def _sign_up(client, event, n, **meta):
    return client.post(f"/events/{event.pk}/register/", {
        "name": f"学生{n}", "mobile": mobile(n), "consent": "on",
    }, **meta)


def test_behind_one_proxy_people_at_different_addresses_each_keep_their_own_limit(client, settings):
    settings.PROXY_COUNT = 1
    settings.PUBLIC_FORM_ADDRESS_RATE = "3/h"
    event = EventFactory(capacity=100)
    for n in range(25):
        # Every request reaches gunicorn from nginx; nginx appended the real address.
        response = _sign_up(client, event, n, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        assert response.status_code == 302, n
    assert Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count() == 25


def test_a_client_cannot_pick_its_address_when_no_proxy_is_configured(client, settings):
    settings.PROXY_COUNT = 0
    settings.PUBLIC_FORM_ADDRESS_RATE = "3/h"
    event = EventFactory(capacity=100)
    for n in range(3):
        assert _sign_up(client, event, n, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 302
    # A fourth from the same socket address is asked for the picture code, whatever it claims.
    response = _sign_up(client, event, 3, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 200 and 'name="captcha_0"' in response.content.decode()


def test_behind_the_proxy_a_forged_header_only_adds_to_the_left(client, settings):
    """nginx appends what it saw to whatever the client sent: the entry nginx wrote counts."""
    settings.PROXY_COUNT = 1
    UserFactory(username="kexie")
    client.post("/accounts/login/", {"username": "kexie", "password": "wrong"},
                REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.50")
    assert AccessAttempt.objects.get(username="kexie").ip_address == "203.0.113.50"


def test_the_audit_log_records_the_clients_address_not_the_proxys(client, settings):
    settings.PROXY_COUNT = 1
    event = EventFactory(capacity=10)
    _sign_up(client, event, 1, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.77")
    registration = Registration.objects.get(event=event)
    client.post(f"/events/registration/{registration.token}/cancel/", REMOTE_ADDR=NGINX,
                HTTP_X_FORWARDED_FOR="203.0.113.77")
    entry = AuditEntry.objects.filter(object_id=str(registration.pk), to_state=Registration.Status.CANCELLED).get()
    assert entry.ip_address == "203.0.113.77"


def test_trusted_proxy_addresses_are_honoured_only_for_requests_that_came_through_them(client, settings):
    settings.PROXY_COUNT = 0
    settings.PROXY_TRUSTED_IPS = ["10.8.0.0/24"]
    UserFactory(username="kexie")
    client.post("/accounts/login/", {"username": "kexie", "password": "wrong"},
                REMOTE_ADDR="10.8.0.3", HTTP_X_FORWARDED_FOR="203.0.113.9")
    client.post("/accounts/login/", {"username": "kexie", "password": "wrong"},
                REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9", "198.51.100.20"}
