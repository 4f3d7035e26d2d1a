"""The last seat, asked for at the same moment through the API (a volunteer's token) and
through the web page's form: exactly one gets it, the other is told the event is full or
put on the waiting list, and the event's counts match its sign-ups.

Each side runs in its own thread with its own database connection (Django's connections
are per thread), released together by a barrier; the test commits (``transaction=True``)
so that each side sees only what the other committed, as two requests in production do.
Run five times over, with and without a waiting list.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from events.models import Event, Registration
from events.services import registrations
from tests.events.factories import EventFactory, mobile
from tests.volunteers.factories import VolunteerWithUserFactory

from .conftest import ApiClient, token_for

S = Registration.Status
ROUNDS = 5


def _race(event: Event, api_token: str, web_mobile: str) -> dict:
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def through_the_api():
        try:
            client = ApiClient(api_token)
            barrier.wait(10)
            results["api"] = client.post(f"/api/v1/me/events/{event.pk}/registration", {"consent": True})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def through_the_page():
        try:
            client = Client()
            barrier.wait(10)
            results["web"] = client.post(f"/events/{event.pk}/register/", {
                "name": "网页报名者", "mobile": web_mobile, "consent": "on",
            })
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=through_the_api), threading.Thread(target=through_the_page)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_the_last_seat_goes_to_exactly_one_of_the_api_and_the_web_page(settings):
    # Ten rounds' submissions from one address: the web form's address limit is not the subject.
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "1000/h"
    volunteer = VolunteerWithUserFactory(name="王建国")
    token = token_for(volunteer.user)
    winners = {"api": 0, "web": 0}

    for round_ in range(ROUNDS):
        waiting_list = round_ % 2 == 1
        event = EventFactory(capacity=2, waiting_list=waiting_list, title=f"抢最后一席第{round_}轮")
        registrations.register(event_id=event.pk, name="先到者", mobile=mobile(1000 + round_))
        event.refresh_from_db()
        assert event.seats_left == 1

        results = _race(event, token, mobile(2000 + round_))

        api, web = results["api"], results["web"]
        web_row = Registration.objects.filter(event=event, name="网页报名者").first()
        api_won = api.status_code == 201 and api.json()["registration"]["status"] == S.CONFIRMED
        web_won = web_row is not None and web_row.status == S.CONFIRMED
        assert api_won != web_won, (round_, api.status_code, api.content.decode()[:300], web.status_code)
        winners["api" if api_won else "web"] += 1

        # The other is told the event is full, or put on the waiting list.
        if waiting_list:
            if api_won:
                assert web.status_code == 302 and web_row.status == S.WAITLISTED
                assert "候补" in Client().get(web["Location"]).content.decode()
            else:
                assert api.status_code == 201 and api.json()["registration"]["status"] == S.WAITLISTED
                assert "候补" in api.json()["message"]
        elif api_won:
            assert web.status_code == 200 and "名额已满" in web.content.decode() and web_row is None
        else:
            assert web.status_code == 302
            assert api.status_code == 409 and "名额已满" in api.json()["message"]

        event.refresh_from_db()
        rows = event.registrations
        assert rows.filter(status__in=Registration.HOLDING_SEAT).count() == event.seats_taken == 2
        assert rows.filter(status=S.WAITLISTED).count() == event.waitlisted_count == (1 if waiting_list else 0)
        assert event.seats_left == 0


@pytest.mark.django_db(transaction=True)
def test_a_sign_up_that_waits_too_long_for_the_event_is_told_to_try_again(monkeypatch):
    """Under a rush the event's row is held by others' sign-ups: past the lock's timeout
    nothing is written and the API says so with 503 (try again), not a refusal."""
    from events.services import _common

    monkeypatch.setattr(_common, "LOCK_TIMEOUT", "200ms")
    volunteer = VolunteerWithUserFactory(name="王建国")
    event = EventFactory(capacity=5)
    holding, release = threading.Event(), threading.Event()

    def hold_the_event():
        from django.db import transaction

        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_event)
    holder.start()
    try:
        assert holding.wait(10)
        response = ApiClient(token_for(volunteer.user)).post(f"/api/v1/me/events/{event.pk}/registration",
                                                             {"consent": True})
    finally:
        release.set()
        holder.join(10)
    assert response.status_code == 503
    assert response.json()["code"] == "busy" and "稍后再提交" in response.json()["message"]
    assert not Registration.objects.exists()
