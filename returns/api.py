"""单位数据交换: statistics returns (综合统计年报) at ``/api/v1/exchange/returns/``.

For a unit token (``association.api.exchange``): the returns of the units the holder may
reach under the scoping rule (their own and those below), each with its state in the
workflow and its own figures (本级), item by item as the catalogue of its year names them.
The totals rolled up from below are the return page's to show; a program adds up the
returns of the units below, which it reads here too.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, Q
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import BaseModel

from association import scoping
from association.api.auth import unit_auth
from association.api.exchange import ExchangeQuery, aware, require
from association.api.pagination import PagePagination
from association.api.resolvers import display

from .models import ReturnValue, StatisticsReturn

router = Router(tags=["单位数据交换"], auth=unit_auth)


class ReturnFigure(BaseModel):
    """A plain pydantic model, validated from the rows ``resolve_figures`` builds (no
    attribute look-ups through django-ninja's getter: thousands of them on a page)."""

    table: str = Field(description="表号")
    code: str = Field(description="行次")
    name: str = Field(description="项目")
    unit: str = Field(description="计量单位")
    computed: bool = Field(description="是否由系统按统计口径自动计算")
    value: Decimal = Field(description="本级数值")
    note: str = Field(description="说明")


class ExchangeReturn(Schema):
    id: int
    organization_id: int
    organization_name: str
    year: int
    status: str = Field(description="状态代码：" + "、".join(f"{v}={label}" for v, label in StatisticsReturn.Status.choices))
    status_label: str
    returned_reason: str = Field(description="退回原因（已退回时）")
    reported_on: date | None = Field(description="报出日期")
    submitted_at: datetime | None = Field(description="报送时间")
    accepted_at: datetime | None = Field(description="审核通过时间")
    updated: datetime
    figures: list[ReturnFigure] = Field(description="本级各项数值")

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name

    resolve_status_label = display("status")

    @staticmethod
    def resolve_figures(obj):
        # Plain rows: a page of 100 returns holds thousands of figures.
        return [
            {"table": v.item.table.code, "code": v.item.code, "name": v.item.name, "unit": v.item.unit,
             "computed": v.item.is_computed, "value": v.value, "note": v.note}
            for v in obj.values.all()
        ]


class ReturnExchangeQuery(ExchangeQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="统计年度，例如 2026")
    status: str = Field("", description="状态代码，留空为全部")


def exchange_returns(user, filters: ReturnExchangeQuery):
    qs = scoping.scope(StatisticsReturn.objects.all(), user)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.updated_since:
        qs = qs.filter(Q(updated__gte=aware(filters.updated_since)))
    if filters.status.strip():
        qs = qs.filter(status=filters.status.strip())
    # The catalogue's few hundred items (and their tables) are read once for the page and
    # shared by every return's values, rather than joined and built again for each value.
    values = Prefetch("values", queryset=ReturnValue.objects.only("id", "statistics_return_id", "item_id", "value", "note")
                      .order_by("item__table__order", "item__order", "item__id"))
    return (qs.select_related("organization").prefetch_related(values, "values__item__table")
            .order_by("updated", "id"))


@router.get("/", response=list[ExchangeReturn], summary="本单位及下级单位的综合统计年报")
@paginate(PagePagination)
def returns(request, filters: Query[ReturnExchangeQuery]):
    require(request, "returns.view_statisticsreturn", "returns.view_returnvalue")
    return exchange_returns(request.user, filters)
