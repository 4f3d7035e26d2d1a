"""The annual work report points to the statistics return: how the year's returns stand,
and the rolled-up figures of the tables the report has no section of its own for."""

from decimal import Decimal

import pytest

from association.reporting import ReportParams
from returns import services
from returns.models import ReturnItem, ReturnValue, StatisticsReturn
from returns.sections import returns_section

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_the_annual_report_shows_the_returns_and_the_journals_rolled_up(tree):
    county = services.open_return(tree.county_a.pk, YEAR)
    journals = ReturnItem.objects.get(table__year=YEAR, table__code="DKX表4", code="01")
    ReturnValue.objects.create(statistics_return=county, item=journals, value=Decimal(2))
    StatisticsReturn.objects.filter(pk=county.pk).update(status=StatisticsReturn.Status.ACCEPTED)
    services.open_return(tree.county_b.pk, YEAR)

    tables = returns_section(ReportParams(year=YEAR))
    state = {row[0]: row[1] for row in tables[0].rows}
    assert state["已审核通过"] == 1 and state["填报中"] == 1
    assert state["尚未审核通过（下级填报单位）"] == 2  # 濮阳县科协 and the 学会
    journal_table = next(t for t in tables if t.title.startswith("DKX表4"))
    assert journal_table.rows[0][:3] == ["主办科技期刊", "种", Decimal(2)]
    assert [t.title.split()[0] for t in tables[1:]] == ["DKX表4", "FKX表6", "HKX表8", "IKX表9"]
    # A county's own report counts its own return only.
    mine = returns_section(ReportParams(year=YEAR, unit_id=tree.county_b.pk))
    assert {row[0]: row[1] for row in mine[0].rows}["已审核通过"] == 0
    # A report of a date range says nothing of returns, which are by year.
    assert returns_section(ReportParams(date_from=None, date_to=None)) == []
