"""Many sign-ups at the same moment, each on its own database connection."""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from association.states import DomainError
from events.models import Event, Registration
from events.services import registrations
from tests.events.factories import EventFactory, mobile

S = Registration.Status


@pytest.mark.django_db(transaction=True)
def test_simultaneous_signups_never_exceed_capacity_and_the_rest_wait():
    event = EventFactory(capacity=10)
    people = 40
    barrier = threading.Barrier(people)
    outcomes, errors = [], []

    def attempt(i):
        try:
            barrier.wait()
            outcomes.append(registrations.register(event_id=event.pk, name=f"抢报{i}", mobile=mobile(i)).status)
        except DomainError as error:  # a domain answer is fine; anything else is a bug
            outcomes.append(type(error).__name__)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert outcomes.count(S.CONFIRMED) == 10
    assert outcomes.count(S.WAITLISTED) == 30
    event.refresh_from_db()
    assert event.registrations.filter(status=S.CONFIRMED).count() == 10 == event.seats_taken
    assert event.registrations.filter(status=S.WAITLISTED).count() == 30 == event.waitlisted_count


@pytest.mark.django_db(transaction=True)
def test_rush_over_http_gives_everyone_an_answer_page_never_an_error(live_server, settings):
    # The test server queues at most 10 connections; the 300-person rush runs against
    # gunicorn in bench/events.py. All requests come from one address here, so the
    # per-address limit of public forms is lifted.
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "1000/m"
    event = EventFactory(capacity=3)
    url = f"{live_server.url}/events/{event.pk}/register/"
    people = 10
    barrier = threading.Barrier(people)
    results = []

    def attempt(i):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(url, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "name": f"抢报{i}", "mobile": mobile(i), "consent": "on",
        }).encode()
        barrier.wait()
        try:
            response = opener.open(urllib.request.Request(url, data=body, headers={"Referer": url}), timeout=60)
            results.append((response.status, response.read().decode()))
        except urllib.error.HTTPError as error:
            results.append((error.code, ""))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert sorted(status for status, _html in results) == [200] * people
    assert sum("报名成功" in html for _s, html in results) == 3
    assert sum("已进入候补名单" in html for _s, html in results) == people - 3
    event = Event.objects.get(pk=event.pk)
    assert event.seats_taken == 3 and event.waitlisted_count == people - 3
