"""Public pages of the core: queries, server time and throughput.

    .venv/bin/python bench/public_pages.py --scale small
    .venv/bin/python bench/public_pages.py --scale large

Bars (issue 2): query counts equal at small and large; p95 at large ≤ 50 ms for every
page, the Chinese search included.
"""

from harness import Bench

bench = Bench.from_argv("public pages")
bench.prepare()

from django.db import connection  # noqa: E402

from association.models import Article, Organization  # noqa: E402

article = Article.objects.published().order_by("-published_at").only("id")[37]
bench.sizes(
    organizations=Organization.objects.count(),
    articles=Article.objects.count(),
    published=Article.objects.published().count(),
    articles_with_科普=Article.objects.published().search("科普").count(),
)
with connection.cursor() as cur:
    cur.execute("SELECT pg_size_pretty(pg_relation_size('article_search_idx'))")
    bench.notes.append(f"bigram GIN index: {cur.fetchone()[0]}")

pages = [
    "/",
    "/news/",
    "/news/?q=科普",          # a common two-character word: in most articles
    "/news/?q=乡村振兴",       # a four-character phrase
    "/news/?q=化工&category=society",
    "/news/?q=院士&page=30",   # a word in one article of ten, deep in its pages
    "/news/?q=科普&page=50",   # the most common word, last page listed
    "/news/?q=量子",           # a word in no article
    "/news/?page=50",
    f"/news/{article.pk}/",
    "/news/feed/",
    "/about/contact/",
    "/organizations/",
    "/organizations/?kind=e_station",
]
for path in pages:
    bench.page(path)
bench.load(["/", "/news/", "/news/?q=%E7%A7%91%E6%99%AE", f"/news/{article.pk}/", "/organizations/"])
bench.report()
