"""Rich text keeps its formatting and loses anything that could run; nothing typed
elsewhere renders as markup."""

import pytest

from association.models import Article, Page
from association.richtext import html_to_text, sanitize_html
from tests.association.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_scripts_and_their_content_are_removed():
    assert sanitize_html("<p>科普</p><script>alert('x')</script>") == "<p>科普</p>"


def test_event_handlers_and_styles_are_removed():
    cleaned = sanitize_html('<p style="color:red" onclick="steal()">文字<img src="/a.png" onerror="x()" alt="图"></p>')
    assert cleaned == '<p>文字<img src="/a.png" alt="图"></p>'


def test_javascript_links_lose_their_address_and_real_links_get_rel():
    assert "javascript" not in sanitize_html('<a href="javascript:alert(1)">点我</a>')
    assert sanitize_html('<a href="https://www.cast.org.cn">中国科协</a>') == (
        '<a href="https://www.cast.org.cn" rel="noopener noreferrer nofollow">中国科协</a>'
    )


def test_editor_formatting_is_kept():
    html = "<h2>小标题</h2><p><strong>加粗</strong><em>斜体</em></p><ul><li>一</li></ul><table><tbody><tr><td colspan=\"2\">表</td></tr></tbody></table>"
    assert sanitize_html(html) == html


def test_iframes_and_forms_are_removed():
    cleaned = sanitize_html('<iframe src="https://evil.example"></iframe><form action="/x"><input name="a"></form>正文')
    assert cleaned == "正文"


def test_an_empty_editor_paragraph_is_an_empty_body():
    assert sanitize_html("<p></p>") == ""


def test_the_body_is_sanitised_when_saved_outside_any_form():
    article = ArticleFactory(body='<p>正文</p><script>document.cookie</script><a href="javascript:x()">链接</a>')
    article.refresh_from_db()
    assert "<script" not in article.body and "javascript" not in article.body
    page = Page.objects.create(slug="duties", title="职责定位", body="<p onmouseover='x()'>四服务</p>")
    page.refresh_from_db()
    assert page.body == "<p>四服务</p>"


def test_the_summary_defaults_to_the_start_of_the_body_text():
    article = ArticleFactory(summary="", body="<p>2020年9月18日，濮阳市全国科普日活动&amp;流动科技馆巡展启动。</p>")
    assert article.summary == "2020年9月18日，濮阳市全国科普日活动&流动科技馆巡展启动。"


def test_html_to_text_keeps_paragraphs_apart():
    assert html_to_text("<p>第一段</p><p>第二段<br>第二行</p>") == "第一段\n第二段\n第二行"


def test_title_and_summary_show_as_text_on_every_page(client):
    article = ArticleFactory(
        title="<img src=x onerror=alert(1)>标题", summary="<b>摘要</b>", category=Article.Category.NOTICE
    )
    for url in ["/", "/news/", article.get_absolute_url(), "/news/?q=标题"]:
        html = client.get(url).content.decode()
        assert "<img src=x onerror=alert(1)>" not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;标题" in html, url


def test_search_words_show_as_text(client):
    html = client.get("/news/", {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
