"""Core views: the home page, the organisation directory, news, the fixed pages and the health check."""

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject

from . import extensions, selectors, two_factor
from .forms import NewsFilterSet, OrganizationFilterSet
from .models import Article, ArticleAttachment, County, Page
from .privatefiles import private_file_response


def home(request):
    # Each block's rows are read only when its part is rendered: most requests find the
    # blocks kept rendered (association.fragments) and read none.
    blocks = [
        {"template": entry.template, "context": SimpleLazyObject(partial(entry.func, request))}
        for entry in extensions.home_blocks()
    ]
    return render(request, "association/home.html", {"blocks": blocks})


def organization_directory(request):
    filters = OrganizationFilterSet(request.GET, queryset=selectors.organization_directory())
    county_id = int(filters.values["county"]) if "county" in filters.values else None
    page = Paginator(filters.qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "association/organizations.html",
        {
            "page_obj": page,
            "kind": filters.values.get("kind", ""),
            "county_id": county_id,
            "q": filters.values.get("q", ""),
            "counties": County.objects.all(),
            "kind_counts": selectors.organization_counts_by_kind(county_id=county_id),
        },
    )


# -- news and the fixed pages ------------------------------------------------------------


def _may_preview(request) -> bool:
    return two_factor.may_act_as_staff(request.user) and request.user.has_perm("association.view_article")


def news_list(request):
    # The filters and the page are built only when the page is rendered: its title,
    # breadcrumbs and list are mostly kept rendered (association.fragments).
    return render(
        request,
        "association/news_list.html",
        {"listing": SimpleLazyObject(partial(_news_listing, request)), "categories": Article.Category.choices},
    )


def _news_listing(request) -> dict:
    filters = NewsFilterSet(request.GET, queryset=selectors.news_list())
    q, category = filters.values.get("q", ""), filters.values.get("category", "")
    articles = filters.qs
    if q:
        paginator = selectors.SearchPaginator(articles, selectors.NEWS_PAGE_SIZE)
    else:
        paginator = selectors.CappedPaginator(articles, selectors.NEWS_PAGE_SIZE, cap=selectors.NEWS_COUNT_CAP)
    return {
        "page_obj": SimpleLazyObject(partial(paginator.get_page, request.GET.get("page"))),
        "q": q,
        "category": category,
        "category_label": Article.Category(category).label if category else "",
    }


def news_detail(request, pk):
    # Read only when the page is rendered: it is mostly kept rendered (association.fragments),
    # and then an article withdrawn or deleted has changed its version (a 404 once read).
    preview = _may_preview(request)
    article = SimpleLazyObject(partial(selectors.news_detail, pk, preview=preview))
    neighbours = SimpleLazyObject(partial(selectors.news_neighbours, article))
    return render(
        request,
        "association/news_detail.html",
        {
            "article_id": pk,
            "preview": preview,
            "article": article,
            "attachments": SimpleLazyObject(lambda: list(article.attachments.all())),
            "older": SimpleLazyObject(lambda: neighbours[0]),
            "newer": SimpleLazyObject(lambda: neighbours[1]),
            "related": SimpleLazyObject(partial(selectors.related_news, article)),
        },
    )


def news_attachment(request, pk):
    qs = ArticleAttachment.objects.select_related("article")
    if not _may_preview(request):
        qs = qs.filter(article__status=Article.Status.PUBLISHED)
    attachment = get_object_or_404(qs, pk=pk)
    return private_file_response(attachment.file, filename=attachment.download_name, missing="附件文件不存在")


def about_index(request):
    pages = list(Page.objects.all())
    return render(request, "association/about.html", {"pages": pages, "current": None})


def about_page(request, slug):
    pages = list(Page.objects.all())
    page = next((p for p in pages if p.slug == slug), None)
    if page is None:
        raise Http404("页面不存在")
    return render(request, "association/page.html", {"pages": pages, "page": page, "current": page.slug})


def favicon(request):
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return redirect(static("img/emblem.svg"), permanent=True)
