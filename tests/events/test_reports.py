"""The annual report's events sections equal independent counts of the same rows."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from association.formatting import format_cell
from association.reporting import ReportParams, sections
from events.models import Event, Registration
from events.reports import events_section
from tests.events.factories import EventFactory, EventOutcomeFactory, PastEventFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


@pytest.fixture
def year_of_events(sign_up):
    conference = PastEventFactory(kind=Event.Kind.INDUSTRY_CONFERENCE, start=datetime(2020, 10, 16, 9, tzinfo=TZ))
    EventOutcomeFactory(event=conference, participants=350, beneficiaries=0, projects_signed=12,
                        contract_value=Decimal("830000"))
    popsci = PastEventFactory(kind=Event.Kind.POPSCI_DAY, start=datetime(2020, 9, 18, 9, tzinfo=TZ))
    EventOutcomeFactory(event=popsci, participants=5000, beneficiaries=200000, activities_held=300)
    seminar = PastEventFactory(kind=Event.Kind.SEMINAR, start=datetime(2020, 5, 29, 9, tzinfo=TZ))
    EventOutcomeFactory(event=seminar, participants=40, beneficiaries=0)
    # Not counted: another year, a cancelled event, a draft.
    EventOutcomeFactory(event=PastEventFactory(start=datetime(2019, 1, 9, 9, tzinfo=TZ)), participants=70)
    EventOutcomeFactory(event=PastEventFactory(start=datetime(2020, 7, 1, 9, tzinfo=TZ), status=Event.Status.CANCELLED))
    EventFactory(start=datetime(2020, 8, 1, 9, tzinfo=TZ), end=datetime(2020, 8, 1, 12, tzinfo=TZ),
                 status=Event.Status.DRAFT)
    # Sign-ups of a 2020 event, taken while it was upcoming.
    training = EventFactory(kind=Event.Kind.TRAINING, capacity=2)
    sign_up(training, 3)
    Event.objects.filter(pk=training.pk).update(start=datetime(2020, 11, 5, 9, tzinfo=TZ),
                                                end=datetime(2020, 11, 5, 12, tzinfo=TZ))
    return ReportParams(year=2020)


def _table(tables, title):
    return next(t for t in tables if t.title == title)


def test_events_section_is_registered_for_the_annual_report():
    assert "events" in [s.key for s in sections()]


def test_figures_by_kind_equal_independent_counts(year_of_events):
    tables = events_section(year_of_events)
    by_kind = {row[0]: row[1:] for row in _table(tables, "活动按类别").rows}
    held = Event.objects.filter(start__year=2020, status__in=["published", "finished"])
    for value, label in Event.Kind.choices:
        of_kind = held.filter(kind=value)
        assert by_kind[str(label)][0] == of_kind.count()
        assert by_kind[str(label)][1] == sum(e.outcome.participants for e in of_kind if hasattr(e, "outcome"))
        assert by_kind[str(label)][2] == sum(e.outcome.beneficiaries for e in of_kind if hasattr(e, "outcome"))
    assert by_kind["产业技术大会"][0] == 1 and by_kind["科普日活动"][2] == 200000


def test_figures_by_month_signups_and_contracts(year_of_events):
    tables = events_section(year_of_events)
    months = {row[0]: row[1] for row in _table(tables, "活动按月份").rows}
    assert list(months) == [f"2020年{m}月" for m in range(1, 13)]  # every month, quiet ones at zero
    assert {k: v for k, v in months.items() if v} == {"2020年5月": 1, "2020年9月": 1, "2020年10月": 1, "2020年11月": 1}
    signups = {row[0]: row[1] for row in _table(tables, "网上报名").rows}
    assert signups["报名成功"] == Registration.objects.filter(status="confirmed").count() == 2
    assert signups["候补中"] == 1
    contracts = _table(tables, "签约项目与协议资金").rows
    assert contracts[-1] == ["合计", "", 12, Decimal("830000")]
    assert format_cell(contracts[0][1]) == "2020年10月16日"  # a date, shown in Chinese form
    totals = dict(_table(tables, "活动总体情况").rows)
    assert totals["活动场次"] == 4 and totals["受益人次"] == 200000


def test_county_and_date_range_narrow_the_figures(year_of_events):
    params = ReportParams(date_from=date(2020, 9, 1), date_to=date(2020, 9, 30))
    totals = dict(_table(events_section(params), "活动总体情况").rows)
    assert totals["活动场次"] == 1
