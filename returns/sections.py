"""The annual work report (年度工作统计) points to the statistics return: a section with the
state of the year's returns and the rolled-up figures of the tables the report has none of
its own for (科技期刊, 青少年科技教育, 科技传播, 科技开放与交流)."""

from django.utils.translation import gettext_lazy as _

from association import scoping
from association.models import Organization
from association.reporting import ReportParams, Table, register_section

from . import services
from .models import StatisticsReturn

# Tables of the return the annual report has no section of its own for.
SHOWN_TABLES = ("DKX表4", "FKX表6", "HKX表8", "IKX表9")


@register_section("returns", _("综合统计年报"), order=90)
def returns_section(params: ReportParams) -> list[Table]:
    if not params.year:
        return []  # a return is by year: a report of a date range says nothing of it
    unit_id = params.unit_id or scoping.city_unit_id()
    if unit_id is None:
        return []
    unit = Organization.objects.get(pk=unit_id)
    returns = StatisticsReturn.objects.filter(year=params.year)
    returns = scoping.scope_to_unit(returns, params.unit_id)
    labels = dict(StatisticsReturn.Status.choices)
    by_status = dict.fromkeys(labels, 0)
    for status in returns.values_list("status", flat=True):
        by_status[status] += 1
    rolled = services.roll_up(unit.pk, params.year)
    status_rows = [[str(labels[s]), n] for s, n in by_status.items()]
    status_rows.append([str(_("尚未审核通过（下级填报单位）")), len(rolled.missing)])
    tables = [Table(str(_("各单位年报填报情况")), [str(_("状态")), str(_("单位数"))], status_rows,
                    note=str(_("%(unit)s及下级填报单位的%(year)s年综合统计年报；汇总只计审核通过的年报。"))
                    % {"unit": unit.name, "year": params.year})]
    for item_table in services.tables_for(unit, params.year).filter(code__in=SHOWN_TABLES):
        rows = [
            [("　" if item.part_of_id else "") + item.name, item.unit, rolled.totals.get(item.pk, 0)]
            for item in item_table.items.order_by("order")
        ]
        tables.append(Table(f"{item_table.code} {item_table.name}", [str(_("项目")), str(_("计量单位")), str(_("本年"))], rows))
    return tables
