"""Pages of a list: ``?page=1&page_size=20`` → ``{items, count, page, pages, has_next}``.

The pages are those of the web lists (``association.selectors.CappedPaginator``): the
count stops at a cap (a count over a large table costs more than the page itself) and
``count_is_exact`` says whether it did. Two queries a page whatever the table's size: the
capped count and the page's rows (plus what an endpoint prefetches). A page past the end
is empty, with ``has_next`` false. An endpoint whose web list pages differently (the news
search) says so by overriding ``paginator``.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

from ..selectors import CappedPaginator

COUNT_CAP = 10_000
MAX_PAGE_SIZE = 100


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=COUNT_CAP, description="页码，从 1 开始")
        page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1–{MAX_PAGE_SIZE}")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="总条数（超过上限时为上限）")
        count_is_exact: bool = Field(description="总条数是否精确")
        page: int = Field(description="当前页码")
        pages: int = Field(description="可翻阅的总页数")
        has_next: bool = Field(description="是否还有下一页")

    def paginator(self, queryset, page_size: int, params: dict) -> CappedPaginator:
        return CappedPaginator(queryset, page_size, cap=COUNT_CAP)

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        paginator = self.paginator(queryset, pagination.page_size, params)
        page = paginator.get_page(pagination.page)
        inside = page.number == pagination.page  # get_page gives the last page for one past it
        return {
            "items": list(page.object_list) if inside else [],
            "count": min(paginator.count, paginator.cap),
            "count_is_exact": not paginator.capped,
            "page": pagination.page,
            "pages": max(1, paginator.num_pages),
            "has_next": inside and page.has_next(),
        }
