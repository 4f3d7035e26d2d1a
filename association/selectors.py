"""Reads of the core app."""

from datetime import datetime
from math import ceil

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property

from . import extensions
from .models import Article, Organization


def count_of(related, by: str):
    """How many rows of ``related`` (filtered with ``<by>=OuterRef("pk")``) each outer row
    has, as a correlated subquery: counted only for the rows a page shows, and left out of
    the paginator's count, where a JOIN with GROUP BY would count every row first."""
    return Coalesce(Subquery(related.order_by().values(by).annotate(n=Count("pk")).values("n")), 0)


def organization_directory():
    """Active organisations in the directory's order (narrowed by ``forms.OrganizationFilterSet``)."""
    return Organization.objects.active().select_related("county", "parent").order_by(kind_rank(), "order", "name")


def kind_rank():
    """The kinds in the order they are declared: the association first, enterprises last."""
    return Case(
        *(When(kind=value, then=Value(i)) for i, value in enumerate(Organization.Kind.values)),
        output_field=IntegerField(),
    )


def organization_counts_by_kind(*, county_id: int | None = None) -> list[dict]:
    """[{kind, label, count}] for every kind that has active organisations."""
    qs = Organization.objects.active()
    if county_id:
        qs = qs.filter(county_id=county_id)
    counts = dict(qs.values_list("kind").annotate(n=Count("id")).order_by())
    return [
        {"kind": value, "label": label, "count": counts[value]}
        for value, label in Organization.Kind.choices
        if counts.get(value)
    ]


# -- news ------------------------------------------------------------------------------

NEWS_PAGE_SIZE = 20
NEWS_COUNT_CAP = 2000  # browsing: articles counted exactly up to here (100 pages)
SEARCH_COUNT_CAP = 10_000  # searching: hits counted exactly up to here
SEARCH_LIST_CAP = 1000  # and listed up to here (50 pages)
HOME_COLUMNS = [Article.Category.NOTICE, Article.Category.POPSCI, Article.Category.SOCIETY]
FIGURES_CACHE_KEY = "headline-figures"
FIGURES_CACHE_SECONDS = 300

# How PostgreSQL is to read search hits (see SearchPaginator).
_THROUGH_INDEX = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = on"
_IN_DATE_ORDER = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = off"


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows and shows at most ``list_cap``.

    Counting all 100,000 articles costs more than the page itself, and nobody reads past
    page 100: the count stops at the cap and the reader is asked to narrow down instead.
    """

    def __init__(self, object_list, per_page, *, cap: int, list_cap: int | None = None, **kwargs):
        self.cap = cap
        self.list_cap = list_cap or cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """More hits than were counted."""
        return self.count > self.cap

    @property
    def truncated(self) -> bool:
        """More hits than are listed."""
        return self.count > self.list_cap

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, min(self.count, self.list_cap) - self.orphans)
        return ceil(hits / self.per_page)


class SearchPaginator(CappedPaginator):
    """Pages of search hits, read the way that is cheap for how many there are.

    The planner prices testing an article's tsvector as nearly free, but it means
    fetching a few kilobytes from TOAST per row; left to itself it walks the date index
    and tests row after row for a word found in one article out of twenty (hundreds of
    milliseconds at 100,000 articles). So the choice is made here, from the hits counted
    through the GIN index (cheap: the index's condition spares reading rows):

    - up to ``cap`` hits: read them all through the index and sort (cost ∝ hits);
    - more: they are at least one article in ten, so walking the date index finds a
      page of them after a few hundred rows (cost ∝ depth ÷ density), however deep the
      reader goes within ``list_cap``.
    """

    def __init__(self, object_list, per_page, **kwargs):
        kwargs.setdefault("cap", SEARCH_COUNT_CAP)
        kwargs.setdefault("list_cap", SEARCH_LIST_CAP)
        super().__init__(object_list, per_page, **kwargs)

    def get_page(self, number):
        db = self.object_list.db
        with transaction.atomic(using=db), connections[db].cursor() as cursor:
            cursor.execute(_THROUGH_INDEX)
            capped = self.capped  # counts, through the index
            cursor.execute(_IN_DATE_ORDER if capped else _THROUGH_INDEX)
            page = super().get_page(number)
            page.object_list = list(page.object_list)
        return page


def news_list():
    """Published news, pinned first, then newest first (narrowed by ``forms.NewsFilterSet``)."""
    return Article.objects.published().listing().order_by("-pinned", "-published_at", "-id")


def news_detail(pk: int, *, preview: bool = False) -> Article:
    """A published article (or any, for staff previewing), or Http404."""
    qs = Article.objects.all() if preview else Article.objects.published()
    return get_object_or_404(qs.defer("search_vector"), pk=pk)


def _row_compare(op: str, article: Article):
    # (published_at, id) compared as a row, so that the list's index answers it.
    return RawSQL(
        f'("association_article"."published_at", "association_article"."id") {op} (%s, %s)',
        [article.published_at, article.pk], output_field=BooleanField(),
    )


def news_neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The published articles just older and just newer than ``article``."""
    if not article.published_at:
        return None, None
    qs = Article.objects.published().only("id", "title", "published_at")
    older = qs.filter(_row_compare("<", article)).order_by("-published_at", "-id").first()
    newer = qs.filter(_row_compare(">", article)).order_by("published_at", "id").first()
    return older, newer


def related_news(article: Article, limit: int = 6):
    return list(
        Article.objects.published().listing().filter(category=article.category).exclude(pk=article.pk)
        .order_by("-pinned", "-published_at", "-id")[:limit]
    )


def home_news() -> dict:
    """What the home page's news block shows: picture news, the latest, and columns."""
    published = Article.objects.published().listing().order_by("-pinned", "-published_at", "-id")
    featured = list(published.exclude(cover="")[:4])
    latest = list(published[:8])
    columns = {category: [] for category in HOME_COLUMNS}
    if HOME_COLUMNS:
        parts = [published.filter(category=c)[:7] for c in HOME_COLUMNS]
        for article in parts[0].union(*parts[1:], all=True):
            columns[article.category].append(article)
    return {
        "featured": featured,
        "latest": latest,
        "columns": [
            {"category": c, "label": Article.Category(c).label, "articles": columns[c]} for c in HOME_COLUMNS
        ],
    }


def headline_figures() -> list[dict]:
    """Every app's figures at a glance, [{label, value, display, unit}], cached for a few minutes."""
    figures = cache.get(FIGURES_CACHE_KEY)
    if figures is None:
        figures = [
            {"label": str(label), "value": value, "display": f"{value:,}" if isinstance(value, int) else str(value),
             "unit": str(unit)}
            for entry in extensions.headline_figures()
            for label, value, unit in entry.func()
        ]
        cache.set(FIGURES_CACHE_KEY, figures, FIGURES_CACHE_SECONDS)
    return figures


def core_figures() -> list[tuple]:
    """The core app's own figures: grassroots bodies by kind and news published."""
    K = Organization.Kind
    kinds = [K.SOCIETY, K.RURAL_TECHNICAL_ASSOCIATION, K.E_STATION, K.POPSCI_BASE]
    counts = dict(
        Organization.objects.active().filter(kind__in=kinds).values_list("kind").annotate(n=Count("id")).order_by()
    )
    year = timezone.localdate().year
    news = Article.objects.published().aggregate(
        total=Count("id"),
        this_year=Count("id", filter=Q(published_at__gte=timezone.make_aware(datetime(year, 1, 1)))),
    )
    return [
        (K.SOCIETY.label, counts.get(K.SOCIETY, 0), "个"),
        (K.RURAL_TECHNICAL_ASSOCIATION.label, counts.get(K.RURAL_TECHNICAL_ASSOCIATION, 0), "个"),
        (K.E_STATION.label, counts.get(K.E_STATION, 0), "个"),
        (K.POPSCI_BASE.label, counts.get(K.POPSCI_BASE, 0), "家"),
        (f"{year}年发布新闻", news["this_year"], "篇"),
        ("累计发布新闻", news["total"], "篇"),
    ]
