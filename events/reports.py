"""The events sections of the annual statistics report (年度工作统计), aggregated in the database."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import extensions
from association.reporting import ReportParams, Table, register_section

from .models import Event, Registration

HELD = (Event.Status.PUBLISHED, Event.Status.FINISHED)


def held_events(params: ReportParams):
    """Events that took place (published or finished) in the period and county asked for;
    for a unit's report, only the events of the unit and the units below it."""
    tz = timezone.get_current_timezone()
    qs = params.scoped(Event.objects.filter(status__in=HELD))
    if params.start:
        qs = qs.filter(start__gte=datetime.combine(params.start, time.min, tzinfo=tz))
    if params.end:
        qs = qs.filter(start__lt=datetime.combine(params.end + timedelta(days=1), time.min, tzinfo=tz))
    if params.county_id:
        qs = qs.filter(county_id=params.county_id)
    return qs


def by_kind(params: ReportParams) -> Table:
    rows = {
        row["kind"]: row
        for row in held_events(params).values("kind").annotate(
            events=Count("id"),
            participants=Coalesce(Sum("outcome__participants"), 0),
            beneficiaries=Coalesce(Sum("outcome__beneficiaries"), 0),
        ).order_by()
    }
    table_rows = []
    for value, label in Event.Kind.choices:
        row = rows.get(value, {"events": 0, "participants": 0, "beneficiaries": 0})
        table_rows.append([str(label), row["events"], row["participants"], row["beneficiaries"]])
    return Table(title=_("活动按类别"), columns=[_("类别"), _("活动场次"), _("参与人数"), _("受益人次")],
                 rows=table_rows, chart="bar")


def by_month(params: ReportParams) -> Table:
    counts = (
        held_events(params)
        .annotate(month=TruncMonth("start", tzinfo=timezone.get_current_timezone()))
        .values("month").annotate(events=Count("id"), beneficiaries=Coalesce(Sum("outcome__beneficiaries"), 0))
        .order_by("month")
    )
    by_month = {(row["month"].year, row["month"].month): (row["events"], row["beneficiaries"]) for row in counts}
    rows = [[_("%(year)s年%(month)s月") % {"year": y, "month": m}, *by_month.get((y, m), (0, 0))]
            for y, m in _months(params, by_month)]
    return Table(title=_("活动按月份"), columns=[_("月份"), _("活动场次"), _("受益人次")], rows=rows, chart="line")


def _months(params: ReportParams, found: dict) -> list[tuple[int, int]]:
    """Every month of the period asked for (a quiet month is a point at zero on the line);
    without a bounded period, the months that have events."""
    if not (params.start and params.end) or (params.end - params.start).days > 3 * 366:
        return sorted(found)
    months, (y, m) = [], (params.start.year, params.start.month)
    while (y, m) <= (params.end.year, params.end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def signups(params: ReportParams) -> Table:
    figures = params.scoped(Registration.objects.filter(event__in=held_events(params))).aggregate(
        total=Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in Registration.Status.values},
    )
    rows = [[str(label), figures[value]] for value, label in Registration.Status.choices]
    return Table(title=_("网上报名"), columns=[_("状态"), _("人数")], rows=rows, chart="pie",
                 note=_("报名总数 %(total)s 人，其中现场签到 %(checked)s 人。") % {
                     "total": figures["total"], "checked": figures[Registration.Status.CHECKED_IN]})


def contracts(params: ReportParams) -> Table:
    events = (
        held_events(params)
        .filter(Q(outcome__projects_signed__gt=0) | Q(outcome__contract_value__gt=0))
        .values("title", "start", "outcome__projects_signed", "outcome__contract_value")
        .order_by("start")
    )
    rows = [
        [e["title"], timezone.localtime(e["start"]).date(), e["outcome__projects_signed"],
         e["outcome__contract_value"]]
        for e in events
    ]
    totals = held_events(params).aggregate(
        projects=Coalesce(Sum("outcome__projects_signed"), 0),
        value=Coalesce(Sum("outcome__contract_value"), Decimal("0")),
    )
    rows.append([_("合计"), "", totals["projects"], totals["value"]])
    return Table(title=_("签约项目与协议资金"), columns=[_("活动"), _("日期"), _("签约项目（个）"), _("协议资金（万元）")],
                 rows=rows, note=_("协议资金以万元计，1 亿元 = 10000 万元。"))


def totals(params: ReportParams) -> Table:
    figures = held_events(params).aggregate(
        events=Count("id"),
        activities=Coalesce(Sum("outcome__activities_held"), 0),
        participants=Coalesce(Sum("outcome__participants"), 0),
        beneficiaries=Coalesce(Sum("outcome__beneficiaries"), 0),
        materials=Coalesce(Sum("outcome__materials_distributed"), 0),
        technologies=Coalesce(Sum("outcome__technologies_promoted"), 0),
    )
    rows = [
        [_("活动场次"), figures["events"]],
        [_("系列活动中开展的活动场次"), figures["activities"]],
        [_("参与人数"), figures["participants"]],
        [_("受益人次"), figures["beneficiaries"]],
        [_("发放资料（份）"), figures["materials"]],
        [_("推广新技术新品种（项）"), figures["technologies"]],
    ]
    return Table(title=_("活动总体情况"), columns=[_("指标"), _("数值")], rows=rows)


@register_section("events", gettext_lazy("活动"), order=20)
def events_section(params: ReportParams) -> list[Table]:
    return [totals(params), by_kind(params), by_month(params), signups(params), contracts(params)]


@extensions.unit_figure(10, label=gettext_lazy("举办活动"), unit=gettext_lazy("场"))
def events_held(params: ReportParams):
    return held_events(params)


@extensions.unit_figure(20, label=gettext_lazy("活动报名"), unit=gettext_lazy("人次"))
def signups_taken(params: ReportParams):
    return Registration.objects.filter(event__in=held_events(params)).exclude(status=Registration.Status.CANCELLED)
