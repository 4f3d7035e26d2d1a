"""Public pages keep the same number of queries however much news there is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from association.models import ArticleAttachment
from association.services import news as news_services
from tests.association.factories import ArticleFactory, PageFactory, pdf_bytes

pytestmark = pytest.mark.django_db

# Queries per page with anonymous readers: the site settings and the figures at a glance
# come from the cache once the first request has filled it.
EXPECTED = {
    # picture news, latest, the three columns in one UNION; upcoming events; the talents
    # block (notices, demands); the volunteers block comes from the cache
    "/": 6,
    "/news/": 2,  # capped count, page
    "/news/?category=notice": 2,
    # BEGIN, SET LOCAL, count through the index, SET LOCAL, page, COMMIT (SAVEPOINT and
    # RELEASE inside the test's transaction)
    "/news/?q=科普": 6,
    "/news/?q=科普&category=notice": 6,
    "ARTICLE": 5,  # article, attachments, older, newer, same column
    "/news/feed/": 1,
    "/about/": 1,
    "/about/contact/": 1,
}


PDF = pdf_bytes()

def _fill(n, media_root):
    articles = ArticleFactory.create_batch(n, title="科普志愿服务进社区", category="notice")
    ArticleFactory.create_batch(n, title="学会年会召开", category="society")
    for article in articles[:3]:
        news_services.set_pinned(article_id=article.pk, pinned=True)
    for article in articles[: min(n, 10)]:
        attachment = ArticleAttachment(article=article)
        news_services.prepare_attachment(attachment, SimpleUploadedFile("方案.pdf", PDF))
        attachment.save()
    PageFactory(slug="contact", title="联系我们")
    PageFactory(slug="duties", title="职责定位")
    return articles[5]


@pytest.mark.parametrize("size", [6, 60])
@pytest.mark.parametrize("path", list(EXPECTED))
def test_query_count_does_not_grow_with_the_data(client, django_assert_num_queries, media_root, size, path):
    article = _fill(size, media_root)
    url = article.get_absolute_url() if path == "ARTICLE" else path
    assert client.get(url).status_code == 200  # fills the caches
    with django_assert_num_queries(EXPECTED[path]):
        assert client.get(url).status_code == 200
