"""A reader's journey in Chromium: the home page, a news item, what the article says."""

from datetime import datetime

import pytest
from django.utils import timezone

from association.services import news as news_services
from tests.association.factories import ArticleFactory, StaffFactory, image_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_a_news_item_from_the_home_page(page, media_root):
    article = ArticleFactory(
        title="化工新材料服务队在市化工研究所召开研讨会",
        body="<p>1月27日，化工新材料服务队在市化工研究所召开研讨会。市科协主席张宏及志愿服务队部分队员等共16人参会。</p>",
        published_at=timezone.make_aware(datetime(2021, 1, 27, 10, 0)),
        source="濮阳市科协",
    )
    news_services.set_cover(article, image_upload())
    article.save()
    ArticleFactory(title="关于开展全国科技工作者日活动的通知", category="notice")

    page.goto(page.base_url + "/")
    latest = page.get_by_role("region", name="新闻动态")
    latest.get_by_role("link", name="化工新材料服务队在市化工研究所召开研讨会").click()

    page.wait_for_url(f"**/news/{article.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "化工新材料服务队在市化工研究所召开研讨会"
    assert page.locator(".article-meta time").inner_text() == "2021年1月27日"
    assert "市科协主席张宏及志愿服务队部分队员等共16人参会" in page.locator(".article-body").inner_text()
    cover = page.locator(".article-cover img")
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("navigation", name="面包屑").get_by_role("link", name="科协要闻").is_visible()


def test_reader_searches_from_the_header_box(page):
    ArticleFactory(title="乡村振兴服务队开展集中交流学习活动")
    ArticleFactory(title="全国科普日活动启动")
    page.goto(page.base_url + "/")
    page.get_by_label("站内搜索").fill("乡村振兴")
    page.get_by_label("站内搜索").press("Enter")
    page.wait_for_url("**/news/?q=*")
    results = page.locator(".news-list-rich .news-title")
    assert results.count() == 1
    assert results.first.inner_text() == "乡村振兴服务队开展集中交流学习活动"


def test_staff_write_an_article_in_an_editor_with_room_and_no_missing_glyphs(page):
    StaffFactory(username="office-browser", is_superuser=True)
    page.goto(page.base_url + "/accounts/login/?next=/admin/association/article/add/")
    page.fill("input[name=username]", "office-browser")
    page.fill("input[name=password]", "Passw0rd!23")
    page.press("input[name=password]", "Enter")
    editor = page.locator(".prose-editor .ProseMirror[contenteditable]")
    editor.wait_for()
    assert editor.bounding_box()["height"] >= 300
    arrow = page.evaluate(
        "() => getComputedStyle(document.querySelector('.prose-menubar__selected'), '::after').content"
    )
    assert "⏷" not in arrow
