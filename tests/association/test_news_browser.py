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


def open_new_article_as_staff(page, username):
    """Sign in as a new superuser and open 添加新闻; the editor, once it is ready."""
    StaffFactory(username=username, is_superuser=True)
    page.goto(page.base_url + "/accounts/login/?next=/admin/association/article/add/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Passw0rd!23")
    page.press("input[name=password]", "Enter")
    editor = page.locator(".prose-editor .ProseMirror[contenteditable]")
    editor.wait_for()
    return editor


def test_staff_write_an_article_in_an_editor_with_room_and_no_missing_glyphs(page):
    editor = open_new_article_as_staff(page, "office-browser")
    assert editor.bounding_box()["height"] >= 300
    arrow = page.evaluate(
        "() => getComputedStyle(document.querySelector('.prose-menubar__selected'), '::after').content"
    )
    assert "⏷" not in arrow


def test_staff_see_the_editor_toolbar_and_dialogs_in_chinese_without_policy_violations(page):
    problems = []
    # Errors include a refused script (Chromium reports Content Security Policy violations
    # as console errors) and a module of the editor that failed to load.
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" or "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    editor = open_new_article_as_staff(page, "office-editor")
    menubar = page.locator(".prose-menubar")

    def title(name):
        return menubar.locator(f"button[data-name='{name}']").get_attribute("title")

    assert title("bold") == "加粗"
    assert title("italic") == "斜体"
    assert title("link") == "插入链接"
    assert title("table") == "插入表格"
    assert title("html") == "编辑 HTML 源码"
    assert title("history:undo") == "撤销"
    assert title("history:redo") == "重做"
    options = menubar.locator(".prose-menubar__option")
    assert options.all_inner_texts() == ["二级标题", "三级标题", "四级标题", "正文段落"]
    # No button anywhere in the bar keeps an English tooltip.
    titles = menubar.locator("button[title]").evaluate_all("buttons => buttons.map(b => b.title)")
    assert titles and all(t and not any("a" <= c.lower() <= "z" for c in t.replace("HTML", "")) for t in titles)

    menubar.locator("button[data-name='table']").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    assert dialog.locator("h3").inner_text() == "表格设置"
    assert dialog.locator("label").all_inner_texts() == ["行数", "列数", "首行作为表头"]
    assert dialog.locator("option").all_inner_texts() == ["是", "否"]
    assert dialog.get_by_role("button").all_inner_texts() == ["插入表格", "取消"]
    dialog.locator("select").select_option("是")
    dialog.get_by_role("button", name="插入表格").click()
    assert editor.locator("table tr").count() == 3
    assert editor.locator("th").count() == 3

    editor.locator("td").first.click()
    page.keyboard.type("会议纪要")
    page.keyboard.press("Shift+Home")
    menubar.locator("button[data-name='link']").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    assert dialog.locator("h3").inner_text() == "编辑链接"
    assert dialog.locator("label").all_inner_texts() == ["网址", "标题"]
    assert dialog.get_by_role("button").all_inner_texts() == ["确定", "取消"]
    dialog.get_by_role("button", name="取消").click()
    assert problems == []
