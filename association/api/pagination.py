"""Pages of a list: ``?page=1&page_size=20`` → ``{items, count, page, pages, has_next}``.

The count stops at ``COUNT_CAP`` (a count over a large table costs more than the page
itself); ``count_is_exact`` says whether it did. Two queries a page whatever the table's
size: the capped count and the page's rows (plus what an endpoint prefetches).
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

COUNT_CAP = 10_000
MAX_PAGE_SIZE = 100


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=COUNT_CAP, description="页码，从 1 开始")
        page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1–{MAX_PAGE_SIZE}")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"总条数（超过 {COUNT_CAP} 时为 {COUNT_CAP}）")
        count_is_exact: bool = Field(description="总条数是否精确")
        page: int = Field(description="当前页码")
        pages: int = Field(description="总页数（按 count 计）")
        has_next: bool = Field(description="是否还有下一页")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        size, page = pagination.page_size, pagination.page
        offset = (page - 1) * size
        rows = list(queryset[offset:offset + size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        # Always counted, so that a list costs the same queries however long it is.
        count = queryset.order_by()[:COUNT_CAP + 1].count() if hasattr(queryset, "order_by") else len(queryset)
        exact = count <= COUNT_CAP
        count = min(count, COUNT_CAP)
        return {
            "items": rows,
            "count": count,
            "count_is_exact": exact,
            "page": page,
            "pages": max(1, -(-count // size)),
            "has_next": has_next,
        }
