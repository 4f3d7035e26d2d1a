"""The API's public answers come from the anonymous page cache like the pages they mirror,
yet an event's places left follow a sign-up at once, an edited article is never served as
it was, and nothing asked with a token is ever cached. Real Redis, real commits."""

import pytest
from django.test import Client

from association.models import ApiToken
from tests.association.factories import ArticleFactory, UserFactory
from tests.events.factories import EventFactory, mobile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30


def _get(path, **headers):
    return Client().get(path, **headers)


def test_an_events_places_in_the_api_follow_a_sign_up_through_the_web_page_at_once():
    event = EventFactory(capacity=5)
    path = f"/api/v1/events/{event.pk}/"
    _get(path)
    cached = _get(path)
    assert cached["X-Page-Cache"] == "hit" and cached.json()["places_left"] == 5
    # Caches on the way must ask again every time (a 304 while nothing changed).
    assert "no-cache" in cached["Cache-Control"]

    Client().post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": mobile(1), "consent": "on"})
    assert _get(path).json()["places_left"] == 4


def test_an_edited_article_is_never_served_as_it_was():
    article = ArticleFactory(title="科技活动周开幕")
    _get(f"/api/v1/news/{article.pk}/")
    first = _get(f"/api/v1/news/{article.pk}/")
    assert first["X-Page-Cache"] == "hit"
    article.title = "科技活动周隆重开幕"
    article.save()
    assert _get(f"/api/v1/news/{article.pk}/").json()["title"] == "科技活动周隆重开幕"
    assert _get("/api/v1/news/").json()["items"][0]["title"] == "科技活动周隆重开幕"
    # Served from the cache, the answer still carries its ETag and answers 304.
    again = _get(f"/api/v1/news/{article.pk}/")
    assert _get(f"/api/v1/news/{article.pk}/", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_nothing_asked_with_a_token_is_cached():
    from association.api import auth

    user = UserFactory(username="zhangwei")
    _, key = auth.issue(user=user, kind=ApiToken.Kind.VOLUNTEER, name="test")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for _ in range(2):
        answer = _get("/api/v1/news/", **bearer)
        assert "X-Page-Cache" not in answer and "private" in answer["Cache-Control"]
