"""The event page comes from the anonymous page cache like the lists, yet its places left
and sign-up state follow every sign-up and cancellation at once, and a cancelled or edited
event is never shown as it was. Real Redis, real commits (the cache forgets on commit)."""

import re
import time

import pytest
from django.test import Client

from events.models import Event, Registration
from events.services import events as event_services
from tests.events.factories import EventFactory, mobile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30


def _seats(response) -> int:
    return int(re.search(r'<span class="seats">(\d+)</span>', response.content.decode()).group(1))


def _visit(path):
    """A fresh anonymous visitor (no cookie from an earlier sign-up) opening ``path``."""
    return Client().get(path)


def test_event_page_is_served_from_the_cache_and_works_for_its_visitors():
    event = EventFactory(capacity=5)
    path = event.get_absolute_url()
    assert "X-Page-Cache" not in _visit(path)
    cached = _visit(path)
    assert cached["X-Page-Cache"] == "hit" and _seats(cached) == 5
    # The sign-up form is on its own page, with a CSRF token of the visitor's own.
    assert f'href="/events/{event.pk}/register/"' in cached.content.decode()
    visitor = Client(enforce_csrf_checks=True)
    form = visitor.get(f"/events/{event.pk}/register/")
    assert "X-Page-Cache" not in form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    signed_up = visitor.post(f"/events/{event.pk}/register/", {
        "csrfmiddlewaretoken": token, "name": "王芳", "mobile": mobile(1), "consent": "on",
    })
    assert signed_up.status_code == 302


def test_event_page_shows_new_places_within_a_second_of_a_sign_up_and_a_cancellation():
    event = EventFactory(capacity=5)
    path = event.get_absolute_url()
    _visit(path)
    assert _visit(path)["X-Page-Cache"] == "hit"

    person = Client()
    signed_up_at = time.monotonic()
    person.post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": mobile(1), "consent": "on"})
    after_sign_up = _visit(path)
    assert time.monotonic() - signed_up_at < 1
    assert _seats(after_sign_up) == 4 and "已报名 1 人" in after_sign_up.content.decode()
    assert _visit(path)["X-Page-Cache"] == "hit"  # cached again, with the new count

    registration = Registration.objects.get(event=event)
    cancelled_at = time.monotonic()
    person.post(f"/events/registration/{registration.token}/cancel/")
    after_cancel = _visit(path)
    assert time.monotonic() - cancelled_at < 1
    assert _seats(after_cancel) == 5


def test_every_query_string_of_the_page_follows_the_change():
    event = EventFactory(capacity=5)
    shared = f"{event.get_absolute_url()}?from=singlemessage&isappinstalled=0"
    _visit(shared)
    assert _visit(shared)["X-Page-Cache"] == "hit"
    Client().post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": mobile(1), "consent": "on"})
    assert _seats(_visit(shared)) == 4


def test_a_full_event_turns_to_the_waiting_list_at_once():
    event = EventFactory(capacity=1)
    path = event.get_absolute_url()
    assert "我要报名" in _visit(path).content.decode()
    Client().post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": mobile(1), "consent": "on"})
    html = _visit(path).content.decode()
    assert "报名候补" in html and "我要报名" not in html


def test_a_cancelled_event_is_never_shown_as_it_was(admin_user):
    event = EventFactory(capacity=5)
    for path in (event.get_absolute_url(), "/events/"):
        _visit(path)
        assert _visit(path)["X-Page-Cache"] == "hit"
    event_services.cancel(event_id=event.pk, actor=admin_user, reason="暴雨预警")
    html = _visit(event.get_absolute_url()).content.decode()
    assert "本活动已取消" in html and "暴雨预警" in html
    assert "X-Page-Cache" not in _visit("/events/")


def test_an_edited_event_is_never_shown_as_it_was():
    event = EventFactory(capacity=5, venue="濮阳市科技馆报告厅")
    path = event.get_absolute_url()
    _visit(path)
    event = Event.objects.get(pk=event.pk)
    event.venue = "濮阳市图书馆二楼"
    event.save()
    html = _visit(path).content.decode()
    assert "濮阳市图书馆二楼" in html and "濮阳市科技馆报告厅" not in html
