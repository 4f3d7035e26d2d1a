"""The home page: picture news, pinned and latest news, columns, figures at a glance."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from association import extensions, selectors
from association.demo import recent_day
from association.models import Article, Organization
from association.services import news as news_services
from tests.association.factories import ArticleFactory, OrganizationFactory, image_upload

pytestmark = pytest.mark.django_db


def test_home_shows_pinned_then_latest_news_and_no_drafts(client):
    pinned = ArticleFactory(title="市科协2020年度工作排名第一", published_at=timezone.make_aware(datetime(2021, 1, 11)))
    news_services.set_pinned(article_id=pinned.pk, pinned=True)
    ArticleFactory(title="化工新材料服务队研讨会", published_at=timezone.make_aware(datetime(2021, 1, 27)))
    ArticleFactory(title="未发布的稿件", status=Article.Status.DRAFT, published_at=None)
    html = client.get("/").content.decode()
    assert html.index("市科协2020年度工作排名第一") < html.index("化工新材料服务队研讨会")
    assert "未发布的稿件" not in html


def test_home_columns_show_notices_popsci_and_society_news(client):
    ArticleFactory(title="关于开展科技工作者日活动的通知", category=Article.Category.NOTICE)
    ArticleFactory(title="全国科普日活动启动", category=Article.Category.POPSCI)
    ArticleFactory(title="中国化学会签约", category=Article.Category.SOCIETY)
    html = client.get("/").content.decode()
    for heading in ["通知公告", "科普动态", "学会动态"]:
        assert f">{heading}</h2>" in html
    assert 'href="/news/?category=notice"' in html


def test_home_carousel_shows_articles_with_covers(client, media_root):
    article = ArticleFactory(title="服务团成立")
    news_services.set_cover(article, image_upload())
    article.save()
    ArticleFactory(title="没有封面的新闻")
    context = selectors.home_news()
    assert [a.title for a in context["featured"]] == ["服务团成立"]
    assert article.cover_card.url in client.get("/").content.decode()


def test_figures_block_renders_every_registered_figure(client, monkeypatch):
    def volunteer_figures():
        return [("注册志愿者", 2000, "人")]

    monkeypatch.setattr(extensions, "_headline_figures", [*extensions._headline_figures,
                                                         extensions._Entry(50, "test", volunteer_figures)])
    OrganizationFactory(kind=Organization.Kind.E_STATION)
    ArticleFactory()
    html = client.get("/").content.decode()
    assert "数说科协" in html
    assert "注册志愿者" in html and "2,000" in html
    assert "科普e站" in html
    assert "累计发布新闻" in html


def test_figures_are_cached_for_a_few_minutes(django_assert_num_queries):
    selectors.headline_figures()
    with django_assert_num_queries(0):
        figures = selectors.headline_figures()
    assert {"label": "累计发布新闻", "value": 0, "display": "0", "unit": "篇"} in figures


def test_core_figures_count_in_the_database():
    OrganizationFactory.create_batch(3, kind=Organization.Kind.SOCIETY)
    OrganizationFactory(kind=Organization.Kind.SOCIETY, is_active=False)
    ArticleFactory(published_at=timezone.now())
    ArticleFactory(published_at=timezone.make_aware(datetime(2020, 5, 29)))
    figures = {label: value for label, value, _unit in selectors.core_figures()}
    assert figures["学会"] == 3
    assert figures[f"{timezone.localdate().year}年发布新闻"] == 1
    assert figures["累计发布新闻"] == 2


def test_demo_data_shows_this_years_work_in_the_figures_of_the_year(client, media_root):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    figures = {f["label"]: f["value"] for f in selectors.headline_figures()}
    year = timezone.localdate().year
    assert figures[f"{year}年发布新闻"] > 0
    assert figures[f"{year}年活动"] > 0 and figures[f"{year}年活动受益"] > 0
    assert Decimal(str(figures[f"{year}年志愿服务时长"]).replace(",", "")) > 0
    html = client.get("/").content.decode()
    assert f"{year}年志愿服务时长" in html


def test_demo_grassroots_bodies_number_as_the_five_year_review_counts_them(media_root):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    figures = {f["label"]: f["value"] for f in selectors.headline_figures()}
    assert (figures["农技协"], figures["科普e站"], figures["科普教育基地"]) == (652, 263, 42)
    K = Organization.Kind
    assert Organization.objects.filter(kind=K.RURAL_POPSCI_BASE).count() == 366
    assert Organization.objects.filter(name="范县莲藕种植农技协").exists()  # the documents' own names stay


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2026, 1, 20), date(2026, 1, 1)])
def test_recent_demo_days_stay_in_this_year_and_keep_their_order(today):
    days = [recent_day(n, today) for n in (5, 20, 60, 90)]
    assert all(d.year == today.year and d <= today for d in days)
    assert days == sorted(days, reverse=True)
