"""Which database serves a read (association/dbrouting.py), with two connections.

The test settings add a ``replica`` alias that is a second connection to the test database
(TEST MIRROR): the data are the same, so what is checked is the router's decision — which
connection ran the queries of a public list, a report page, a sign-up, and the page a
person reads right after signing up.
"""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from association import dbrouting
from association.dbrouting import REPLICA, replica_reads
from events.models import Event, Registration
from tests.association.factories import UserFactory
from tests.events.factories import EventFactory, mobile
from tests.scaleout.test_pooler import _free_port

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def replica_on(settings):
    settings.DATABASE_REPLICA_READS = True
    dbrouting._last_look["at"] = None  # this process looks at the replica afresh
    yield settings
    dbrouting._last_look["at"] = None


class Served:
    """The SQL each connection ran while the block ran."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.primary.__exit__(*exc)
        self.replica.__exit__(*exc)

    def on_primary(self, table: str) -> bool:
        return any(table in q["sql"] for q in self.primary.captured_queries)

    def on_replica(self, table: str) -> bool:
        return any(table in q["sql"] for q in self.replica.captured_queries)


def test_a_public_list_is_read_from_the_replica(client, replica_on):
    EventFactory(title="青少年科技创新大赛")
    with Served() as served:
        response = client.get("/events/")
    assert "青少年科技创新大赛" in response.content.decode()
    assert served.on_replica("events_event") and not served.on_primary("events_event")


def test_without_a_replica_everything_is_read_from_the_primary(client, settings):
    assert settings.DATABASE_REPLICA_READS is False  # no DATABASE_REPLICA_URL
    EventFactory(title="青少年科技创新大赛")
    with Served() as served:
        assert "青少年科技创新大赛" in client.get("/events/").content.decode()
    assert served.on_primary("events_event") and not served.replica.captured_queries


def test_the_leaders_dashboard_is_read_from_the_replica(client, replica_on):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with Served() as served:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert served.replica.captured_queries  # the figures
    # The person's own session and account are read where they are (either is fine);
    # the report's own tables come from the replica only.
    assert not served.on_primary("events_event") and not served.on_primary("association_reportjob")


def test_a_sign_up_and_the_pages_read_right_after_it_are_the_primarys(client, replica_on):
    event = EventFactory(title="青少年科技创新大赛", capacity=5)
    with Served() as served:
        response = client.post(f"/events/{event.pk}/register/",
                               {"name": "王芳", "mobile": mobile(1), "consent": "on"}, follow=True)
    assert Registration.objects.filter(event=event).count() == 1
    assert "王芳" in response.content.decode()  # the page after the sign-up shows it
    assert not served.replica.captured_queries  # the POST, and the page it led to
    assert served.on_primary("events_registration")

    # The list, read right after: the primary (the browser is pinned for a while).
    with Served() as served:
        client.get("/events/")
    assert served.on_primary("events_event") and not served.replica.captured_queries

    # Once the pin has run out the list is the replica's again.
    replica_on.REPLICA_PIN_SECONDS = 30
    client.cookies[replica_on.REPLICA_PIN_COOKIE] = "0"
    with Served() as served:
        client.get("/events/")
    assert served.on_replica("events_event") and not served.on_primary("events_event")


def test_the_event_page_where_places_are_counted_is_never_the_replicas(client, replica_on):
    event = EventFactory(title="青少年科技创新大赛", capacity=5)
    with Served() as served:
        assert client.get(f"/events/{event.pk}/").status_code == 200
    assert not served.replica.captured_queries


def test_locked_reads_and_reads_inside_a_transaction_stay_on_the_primary(replica_on):
    event = EventFactory()
    with replica_reads():
        with Served() as served:
            Event.objects.get(pk=event.pk)
        assert served.on_replica("events_event") and not served.primary.captured_queries
        with Served() as served, transaction.atomic():
            Event.objects.select_for_update().get(pk=event.pk)
            Event.objects.get(pk=event.pk)  # read again in the same transaction
        assert not served.replica.captured_queries


def test_a_replica_too_far_behind_gets_no_reads_and_healthz_says_so(client, replica_on):
    EventFactory(title="青少年科技创新大赛")
    replica_on.REPLICA_MAX_LAG_SECONDS = -1  # any lag at all is too much
    with Served() as served:
        assert "青少年科技创新大赛" in client.get("/events/").content.decode()
    assert served.on_primary("events_event") and not served.on_replica("events_event")
    replica_on.HEALTHZ_TOKEN = "monitor-token"
    report = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor-token").json()
    assert report["status"] == "degraded" and "replica" in report["failing"]
    assert report["checks"]["replica"]["lag_seconds"] == 0 and report["checks"]["replica"]["usable"] is False

    replica_on.REPLICA_MAX_LAG_SECONDS = 30
    dbrouting._last_look["at"] = None
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor-token").json()["checks"]["replica"]["usable"]


def test_a_replica_that_does_not_answer_leaves_the_reads_to_the_primary(client, replica_on):
    EventFactory(title="青少年科技创新大赛")
    replica = connections[REPLICA]
    port = replica.settings_dict["PORT"]
    replica.close()
    replica.settings_dict["PORT"] = _free_port()  # nobody listens there
    try:
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get("/events/")
        assert response.status_code == 200 and "青少年科技创新大赛" in response.content.decode()
        assert any("events_event" in q["sql"] for q in primary.captured_queries)
    finally:
        replica.close()
        replica.settings_dict["PORT"] = port


def test_the_apis_public_list_is_the_replicas_and_a_volunteers_own_the_primarys(client, replica_on):
    from tests.api.conftest import ApiClient, token_for
    from tests.volunteers.factories import VolunteerWithUserFactory

    event = EventFactory(title="青少年科技创新大赛", capacity=5)
    with Served() as served:
        listing = client.get("/api/v1/events/")
    assert listing.status_code == 200 and "青少年科技创新大赛" in listing.content.decode()
    assert served.on_replica("events_event") and not served.on_primary("events_event")

    with Served() as served:
        assert client.get(f"/api/v1/events/{event.pk}/").status_code == 200  # the places left
    assert not served.replica.captured_queries

    me = ApiClient(token_for(VolunteerWithUserFactory().user))
    with Served() as served:
        assert me.get("/api/v1/me/events/").status_code == 200
    assert not served.replica.captured_queries


def test_a_list_read_from_the_replica_keeps_its_parts_no_longer_than_the_replica_may_lag(client, replica_on):
    """A change the replica has not replayed yet may be rendered under its new version; such
    a part is renewed once the lag allowed has passed, not a whole FRAGMENT_CACHE_SECONDS later."""
    import time

    replica_on.FRAGMENT_CACHE_SECONDS = 60
    replica_on.REPLICA_MAX_LAG_SECONDS = 1
    event = EventFactory(title="青少年科技创新大赛")
    client.get("/events/")
    Event.objects.filter(pk=event.pk).update(title="青少年科技创新大赛（决赛）")  # as a lagging replica would miss
    assert "（决赛）" not in client.get("/events/").content.decode()  # the part kept
    time.sleep(1.1)
    assert "（决赛）" in client.get("/events/").content.decode()
