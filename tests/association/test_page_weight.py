"""What a shared link, the footer and a compressed page look like to the public (issue 16)."""

import gzip
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from association.models import SiteSettings
from association.services import news as news_services
from talents.models import AwardRound, TechDemand
from tests.association.factories import ArticleFactory, image_upload
from tests.events.factories import EventFactory
from tests.talents.factories import DemandFactory, RoundFactory

pytestmark = pytest.mark.django_db
SITE = "https://kx.example.org"


def _meta(html: str) -> dict:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z_:]+)" content="([^"]*)"', html))


def _card(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return _meta(response.content.decode())


@override_settings(SITE_URL=SITE)
def test_an_article_shared_shows_its_title_summary_and_cover(client, media_root):
    article = ArticleFactory(title="市科协举办全国科普日主场活动", summary="上万名市民走进科技馆。")
    news_services.set_cover(article, image_upload())
    article.save()
    card = _card(client, article.get_absolute_url())
    assert card["og:title"] == "市科协举办全国科普日主场活动"
    assert card["og:description"] == "上万名市民走进科技馆。"
    assert card["og:url"] == SITE + article.get_absolute_url()
    assert card["og:type"] == "article"
    assert card["og:image"].startswith(SITE + "/media/news/covers/")
    assert card["twitter:card"] == "summary_large_image"


@override_settings(SITE_URL=SITE)
def test_an_event_without_a_cover_is_shared_with_the_associations_card(client):
    event = EventFactory(title="青少年科技创新大赛", summary="面向全市中小学生。")
    card = _card(client, event.get_absolute_url())
    assert card["og:title"] == "青少年科技创新大赛"
    assert card["og:description"] == "面向全市中小学生。"
    assert card["og:url"] == SITE + event.get_absolute_url()
    assert re.fullmatch(SITE + r"/static/img/share(\.[0-9a-f]+)?\.jpg", card["og:image"])


@override_settings(SITE_URL=SITE)
def test_a_round_in_publicity_is_shared_as_its_notice(client):
    award_round = RoundFactory(
        status=AwardRound.Status.PUBLICISING, notice_starts=timezone.localdate(),
        notice_ends=timezone.localdate() + timedelta(days=9),
    )
    card = _card(client, f"/talents/awards/{award_round.pk}/")
    assert card["og:title"] == f"关于{award_round}拟表彰对象的公示"
    assert card["og:description"].startswith("公示期：")
    assert card["og:image"].startswith(SITE + "/static/")


@override_settings(SITE_URL=SITE)
def test_a_published_demand_is_shared_with_its_description(client):
    demand = DemandFactory(title="聚乳酸增韧技术", status=TechDemand.Status.PUBLISHED)
    card = _card(client, f"/talents/demands/{demand.pk}/")
    assert card["og:title"] == "聚乳酸增韧技术 - 企业技术需求"
    assert card["og:description"].startswith("企业在聚乳酸增韧方面")
    assert card["og:url"] == f"{SITE}/talents/demands/{demand.pk}/"


def test_footer_shows_the_registrations_with_their_links(client):
    site = SiteSettings.load()
    site.icp = "豫ICP备12345678号-1"
    site.police_record = "豫公网安备41090202000001号"
    site.police_record_url = "https://beian.mps.gov.cn/#/query/webSearch?code=41090202000001"
    site.site_code = "4109000001"
    site.save()
    for url in ("/", "/news/", "/events/"):
        html = client.get(url).content.decode()
        assert '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">豫ICP备12345678号-1</a>' in html
        assert "code=41090202000001" in html and "豫公网安备41090202000001号</a>" in html
        assert "网站标识码：4109000001" in html


def test_a_page_is_compressed_when_the_browser_asks(client):
    ArticleFactory(title="压缩测试新闻")
    response = client.get("/news/", headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "压缩测试新闻" in gzip.decompress(response.content).decode()
    assert "Content-Encoding" not in client.get("/news/")


def test_a_full_event_before_its_deadline_says_full_not_closed(client):
    EventFactory(title="满员无候补的讲座", capacity=1, seats_taken=1, waiting_list=False,
                 registration_deadline=timezone.now() + timedelta(days=3))
    EventFactory(title="满员可候补的讲座", capacity=1, seats_taken=1, waiting_list=True)
    html = client.get("/events/").content.decode()
    assert "名额已满 · 可候补" in html
    assert 'seat-badge">名额已满</span>' in html
    assert "报名已截止" not in html


def test_every_icon_used_in_templates_and_code_is_in_the_sprite():
    from association import icons

    used = icons.used_names()
    assert {"geo-alt", "search", "stars", "diagram-3", "hand-index-thumb"} <= used  # templates, KIND_ICONS, links
    assert used - icons.names_in_sprite() == set()


def test_pages_draw_icons_from_the_sprite_without_the_icon_font(client):
    EventFactory(title="科普大篷车进校园")
    html = client.get("/events/").content.decode()
    assert "bootstrap-icons" not in html and '<i class="bi' not in html
    assert re.search(r'<svg class="bi" aria-hidden="true" focusable="false"><use href="/static/img/icons(\.[0-9a-f]+)?\.svg#clock">', html)


def test_home_loads_the_first_picture_news_early_in_sizes_for_each_screen(client, media_root):
    article = ArticleFactory(title="科技馆新展厅开放")
    news_services.set_cover(article, image_upload(size=(1600, 1000)))
    article.save()
    html = client.get("/").content.decode()
    preload = re.search(r'<link rel="preload" as="image" imagesrcset="([^"]+)" imagesizes="[^"]+" fetchpriority="high">', html)
    assert preload, "no preload of the first picture"
    widths = re.findall(r" (\d+)w", preload.group(1))
    assert widths == ["480", "720", "960"]
    img = re.search(r'<img [^>]*alt="科技馆新展厅开放"[^>]*>', html).group(0)
    assert 'fetchpriority="high"' in img and 'width="960" height="540"' in img and "loading=" not in img
    for url in re.findall(r"/media/(\S+\.webp)", preload.group(1)):
        with default_storage.open(url) as made:
            assert Image.open(made).format == "WEBP"
    # A second picture news (hidden slide) waits until it is shown.
    second = ArticleFactory(title="青少年机器人大赛")
    news_services.set_cover(second, image_upload())
    second.save()
    html = client.get("/").content.decode()
    assert 'loading="lazy"' in re.search(r'<img [^>]*alt="青少年机器人大赛"[^>]*>', html).group(0)
