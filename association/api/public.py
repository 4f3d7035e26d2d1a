"""Public, read-only: news and the organisation directory, as the public pages show them."""

from datetime import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from .. import selectors
from ..forms import NewsFilterSet, OrganizationFilterSet
from ..models import Article, Organization
from .conditional import last_modified
from .core import site_url
from .pagination import PagePagination
from .resolvers import display, name_of, page_url

router = Router(tags=["新闻与组织"])


class ArticleItem(Schema):
    id: int
    title: str
    category: str = Field(description="栏目代码：" + "、".join(f"{v}={label}" for v, label in Article.Category.choices))
    category_label: str
    summary: str
    source: str
    published_at: datetime | None
    pinned: bool
    url: str = Field(description="网页地址")
    cover: str | None = Field(description="封面图地址（没有时为 null）")

    resolve_category_label = display("category")

    resolve_url = page_url

    @staticmethod
    def resolve_cover(obj):
        return site_url(obj.cover.url) if obj.cover else None


class Attachment(Schema):
    title: str
    extension: str
    size: int = Field(description="字节数")
    url: str

    @staticmethod
    def resolve_title(obj):
        return obj.download_name

    resolve_url = page_url


class ArticleDetail(ArticleItem):
    author: str
    body: str = Field(description="正文 HTML（已清理，只含安全的标签）")
    updated: datetime
    attachments: list[Attachment]

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class NewsQuery(Schema):
    q: str = Field("", max_length=50, description="关键词（标题、摘要、正文）")
    category: str = Field("", description="栏目代码")


class NewsPagination(PagePagination):
    """The news list's own pages: browsing counts to ``NEWS_COUNT_CAP``; a search reads its
    hits the way the web search does (``selectors.SearchPaginator``)."""

    def paginator(self, queryset, page_size, params):
        if params["filters"].q.strip():
            return selectors.SearchPaginator(queryset, page_size)
        return selectors.CappedPaginator(queryset, page_size, cap=selectors.NEWS_COUNT_CAP)


@router.get("/news/", response=list[ArticleItem], summary="新闻列表")
@paginate(NewsPagination)
def news(request, filters: Query[NewsQuery]):
    return NewsFilterSet(filters.dict(), queryset=selectors.news_list()).qs


@router.get("/news/{int:article_id}/", response=ArticleDetail, summary="新闻详情")
def news_item(request, article_id: int, response: HttpResponse):
    article = selectors.news_detail(article_id)
    last_modified(response, article.updated)
    return article


class OrganizationItem(Schema):
    id: int
    name: str
    short_name: str
    kind: str = Field(description="类别代码")
    kind_label: str
    parent_id: int | None
    parent_name: str | None
    county: str | None = Field(description="所在县（区）")
    description: str

    resolve_kind_label = display("kind")
    resolve_parent_name = name_of("parent")
    resolve_county = name_of("county")


class OrganizationQuery(Schema):
    kind: str = Field("", description="类别代码：" + "、".join(f"{v}={label}" for v, label in Organization.Kind.choices))
    county: int | None = Field(None, ge=1, description="县（区）编号")
    q: str = Field("", max_length=50, description="单位名称中的字")


@router.get("/organizations/", response=list[OrganizationItem], summary="组织名录")
@paginate(PagePagination)
def organizations(request, filters: Query[OrganizationQuery]):
    data = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return OrganizationFilterSet(data, queryset=selectors.organization_directory()).qs


@router.get("/organizations/{int:organization_id}/", response=OrganizationItem, summary="单位详情")
def organization(request, organization_id: int):
    return get_object_or_404(selectors.organization_directory(), pk=organization_id)
