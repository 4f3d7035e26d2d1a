"""The fixed pages under /about/ and the demo loader that fills them."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from association.models import Article, Page, SiteSettings
from tests.association.factories import PageFactory

pytestmark = pytest.mark.django_db


def test_about_index_links_every_page_and_the_directory(client):
    PageFactory(slug="organization", title="机构设置", order=0)
    PageFactory(slug="contact", title="联系我们", order=1)
    html = client.get("/about/").content.decode()
    assert 'href="/about/organization/"' in html and 'href="/about/contact/"' in html
    assert 'href="/organizations/"' in html


def test_a_page_shows_its_title_and_body_with_the_side_navigation(client):
    PageFactory(slug="leadership", title="领导体制", body="<p>濮阳市科协由中共濮阳市委直接领导。</p>")
    PageFactory(slug="duties", title="职责定位")
    html = client.get("/about/leadership/").content.decode()
    assert '<h1 class="h4 page-title">领导体制</h1>' in html
    assert "<p>濮阳市科协由中共濮阳市委直接领导。</p>" in html
    assert 'aria-current="page">领导体制</a>' in html
    assert 'href="/about/duties/"' in html


def test_contact_page_shows_the_address_and_hotline_staff_edit(client):
    site = SiteSettings.load()
    site.address, site.hotline, site.email = "河南省濮阳市华龙区", "8800110", "kx@example.org"
    site.save()
    PageFactory(slug="contact", title="联系我们", body="<p>欢迎来电。</p>")
    html = client.get("/about/contact/").content.decode()
    assert "河南省濮阳市华龙区" in html and "8800110" in html and "mailto:kx@example.org" in html


def test_an_unknown_page_is_not_found(client):
    assert client.get("/about/nothing/").status_code == 404


def test_load_demo_fills_pages_and_news_from_the_documents_and_is_idempotent(client, media_root):
    call_command("load_demo", stdout=io.StringIO())
    counts = (Page.objects.count(), Article.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Page.objects.count(), Article.objects.count()) == counts
    assert set(Page.objects.values_list("slug", flat=True)) >= {"organization", "duties", "leadership", "contact"}
    founding = Article.objects.get(title__contains="党外专家“科创中国”志愿服务团", category="news")
    assert "71名党外专家" in founding.body and founding.pinned and founding.cover_thumb
    assert founding.published_at.date().isoformat() == "2020-12-28"
    assert Article.objects.filter(title__contains="南乐县调研生物基材料企业", body__contains="曦江生物").exists()
    assert "办公室、学会学术部、科学技术普及部" in Page.objects.get(slug="organization").body
    # The footer registrations are placeholders that say so.
    footer = client.get("/").content.decode().split('class="site-footer')[1]
    assert "豫ICP备00000000号-1（演示）" in footer and "公网安备" in footer and "网站标识码：0000000000（演示）" in footer
    assert Image.open(founding.cover.open()).format == "JPEG"  # a photograph-like picture, not a card


def test_load_demo_keeps_what_staff_edited(media_root):
    call_command("load_demo", stdout=io.StringIO())
    Page.objects.filter(slug="contact").update(body="<p>工作人员改过的内容</p>")
    call_command("load_demo", stdout=io.StringIO())
    assert Page.objects.get(slug="contact").body == "<p>工作人员改过的内容</p>"
