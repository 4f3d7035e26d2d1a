"""Anonymous visitors get the public list pages from a few-seconds cache; nothing personal
or holding a form's CSRF token is ever cached or served to someone else."""

import pytest

from talents.models import TechDemand
from tests.association.factories import UserFactory
from tests.talents.factories import DemandFactory
from tests.volunteers.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30


def test_anonymous_visitors_share_a_short_lived_copy_of_a_list_page(client):
    DemandFactory(title="第一项需求", status=TechDemand.Status.PUBLISHED)
    first = client.get("/talents/demands/")
    assert "X-Page-Cache" not in first
    DemandFactory(title="刚发布的需求", status=TechDemand.Status.PUBLISHED)
    second = client.get("/talents/demands/")
    assert second["X-Page-Cache"] == "hit"
    assert "刚发布的需求" not in second.content.decode()  # at most PUBLIC_PAGE_CACHE_SECONDS old
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_each_query_string_has_its_own_copy(client):
    client.get("/talents/demands/?q=甲")
    assert "X-Page-Cache" not in client.get("/talents/demands/?q=乙")
    assert client.get("/talents/demands/?q=甲")["X-Page-Cache"] == "hit"


def test_logged_in_users_always_get_a_fresh_page(client):
    client.get("/volunteers/projects/")
    client.force_login(UserFactory())
    ProjectFactory(title="新上线的服务项目")
    response = client.get("/volunteers/projects/")
    assert "X-Page-Cache" not in response
    assert "新上线的服务项目" in response.content.decode()


def test_pages_with_a_form_are_never_cached(client, county):
    for _ in range(2):
        response = client.get("/volunteers/register/")
        assert "X-Page-Cache" not in response
    first_token = client.cookies["csrftoken"].value
    other = client.__class__()
    other.get("/volunteers/register/")
    assert other.cookies["csrftoken"].value != first_token


def test_posts_and_other_addresses_are_not_cached(client):
    client.get("/volunteers/privacy/")
    assert "X-Page-Cache" not in client.get("/volunteers/privacy/")
    client.get("/talents/demands/")
    assert "X-Page-Cache" not in client.post("/talents/demands/")


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client):
    client.get("/talents/awards/")
    client.cookies["messages"] = "something"
    assert "X-Page-Cache" not in client.get("/talents/awards/")


def test_pages_load_when_redis_is_down(client, settings):
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:6399/0"}}
    for _ in range(2):
        response = client.get("/talents/demands/")
        assert response.status_code == 200 and "X-Page-Cache" not in response


def _age_copy(path):
    """Make the stored copy of ``path`` older than PUBLIC_PAGE_CACHE_SECONDS."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from association import pagecache

    key = pagecache._key(RequestFactory().get(path))
    _fresh_until, generation, response = cache.get(key)
    cache.set(key, (0, generation, response), 60)
    return key


def test_an_old_copy_is_rendered_again_by_one_visitor_while_others_keep_the_old_one(client):
    from django.core.cache import cache

    DemandFactory(title="第一项需求", status=TechDemand.Status.PUBLISHED)
    client.get("/talents/demands/")
    DemandFactory(title="刚发布的需求", status=TechDemand.Status.PUBLISHED)
    key = _age_copy("/talents/demands/")

    cache.add(f"{key}:refresh", 1, 10)  # another worker is rendering it right now
    waiting = client.get("/talents/demands/")
    assert waiting["X-Page-Cache"] == "stale" and "刚发布的需求" not in waiting.content.decode()

    cache.delete(f"{key}:refresh")  # nobody is: this visitor renders it, and it is stored
    fresh = client.get("/talents/demands/")
    assert "X-Page-Cache" not in fresh and "刚发布的需求" in fresh.content.decode()
    again = client.get("/talents/demands/")
    assert again["X-Page-Cache"] == "hit" and "刚发布的需求" in again.content.decode()


def test_an_article_is_cached_and_a_withdrawn_one_is_not_shown_again(client, django_capture_on_commit_callbacks):
    from association.services import news
    from tests.association.factories import ArticleFactory

    article = ArticleFactory(title="科普日活动通知")
    path = article.get_absolute_url()
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        news.unpublish_article(article_id=article.pk)
    assert client.get(path).status_code == 404
