"""Parts of pages kept rendered (the home blocks, the news and event lists, masthead and
footer) are served without reading the database, yet whoever changes what they show (in the
admin, through a service, with a script) sees the change on the next page, logged in or not."""

import pytest
from django.test import Client
from django.utils import timezone

from association.models import SiteSettings
from association.services import news
from events.models import Event
from tests.association.factories import ArticleFactory, UserFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)  # versions change as writes commit


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60


@pytest.fixture
def member():
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize("path", ["/", "/news/", "/news/?q=科普", "/events/", "/talents/experts/"])
def test_a_list_kept_rendered_reads_nothing_the_second_time(path, django_assert_max_num_queries):
    ArticleFactory(title="市科协召开全委会")
    EventFactory(title="科普讲座")
    assert Client().get(path).status_code == 200
    with django_assert_max_num_queries(0):
        again = Client().get(path)
    assert again.status_code == 200


def test_a_published_article_is_on_the_home_page_and_the_list_at_once(member):
    ArticleFactory(title="旧的新闻")
    for path in ("/", "/news/"):
        member.get(path)
    article = ArticleFactory(title="刚刚发布的新闻", status="draft", published_at=None)
    news.publish_article(article_id=article.pk)
    for path in ("/", "/news/"):
        assert "刚刚发布的新闻" in member.get(path).content.decode()


def test_a_pinned_article_shows_as_pinned_at_once(member):
    article = ArticleFactory(title="置顶候选")
    member.get("/news/")
    news.set_pinned(article_id=article.pk, pinned=True)
    assert "badge-pinned" in member.get("/news/").content.decode()


def test_an_event_and_its_places_in_the_list_follow_every_change(member):
    event = EventFactory(title="青少年科技营", capacity=3)
    assert "剩余 3 个名额" in member.get("/events/").content.decode()
    Client().post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": "13800000001", "consent": "on"})
    assert "剩余 2 个名额" in member.get("/events/").content.decode()
    event = Event.objects.get(pk=event.pk)
    event.title = "青少年科技冬令营"
    event.save()
    assert "青少年科技冬令营" in member.get("/events/").content.decode()


def test_the_masthead_and_footer_follow_the_site_particulars():
    Client().get("/news/")
    site = SiteSettings.load()
    site.hotline = "0393-1234567"
    site.save()
    assert "0393-1234567" in Client().get("/news/").content.decode()


def test_the_navigation_marks_the_page_it_is_on():
    Client().get("/news/")
    html = Client().get("/events/").content.decode()
    assert 'href="/events/" aria-current="page"' in html
    assert 'href="/news/" aria-current="page"' not in html


def test_a_logged_in_visitor_gets_their_own_top_bar_beside_kept_parts(member):
    Client().get("/news/")
    html = member.get("/news/").content.decode()
    assert "退出" in html and ">登录<" not in html


def test_nothing_is_kept_when_redis_does_not_answer(settings, django_assert_num_queries):
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:6399/0"}}
    ArticleFactory(title="第一篇")
    Client().get("/news/")
    ArticleFactory(title="第二篇", published_at=timezone.now())
    assert "第二篇" in Client().get("/news/").content.decode()


def test_an_article_page_kept_rendered_reads_nothing_and_a_withdrawn_one_is_gone(member, django_assert_max_num_queries):
    article = ArticleFactory(title="科技周开幕")
    path = article.get_absolute_url()
    assert "科技周开幕" in member.get(path).content.decode()
    with django_assert_max_num_queries(0):
        assert Client().get(path).status_code == 200
    news.unpublish_article(article_id=article.pk)
    assert member.get(path).status_code == 404
    assert Client().get(path).status_code == 404


def test_an_event_page_kept_rendered_reads_nothing_and_follows_its_places(django_assert_max_num_queries):
    event = EventFactory(title="院士报告会", capacity=3)
    path = event.get_absolute_url()
    Client().get(path)
    with django_assert_max_num_queries(0):
        assert "院士报告会" in Client().get(path).content.decode()
    Client().post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": "13800000001", "consent": "on"})
    assert '<span class="seats">2</span>' in Client().get(path).content.decode()
