"""The volunteers' sections of the annual statistics report (年度工作统计): aggregated in the database.

Every query goes through ``params.scoped``: a unit's report counts its own volunteers, their
hours and its teams' orders (and those of the units below it)."""

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from association import extensions
from association.formatting import chinese_month
from association.reporting import ReportParams, Table, register_section

from .models import ServiceOrder, ServiceRecord, ServiceTeam, Volunteer

CONFIRMED = ServiceRecord.Status.CONFIRMED


def volunteer_figures(params: ReportParams) -> dict:
    qs = params.scoped(Volunteer.objects.all())
    if params.county_id:
        qs = qs.filter(county_id=params.county_id)
    return qs.aggregate(
        registered=Count("id", filter=params.within("created__date")),
        approved=Count("id", filter=params.within("reviewed_at__date") & Q(status=Volunteer.Status.APPROVED)),
        on_roll=Count("id", filter=Q(status=Volunteer.Status.APPROVED)),
        pending=Count("id", filter=Q(status=Volunteer.Status.PENDING)),
    )


def _records(params: ReportParams):
    qs = params.scoped(ServiceRecord.objects.filter(params.within("date"), status=CONFIRMED))
    if params.county_id:
        qs = qs.filter(volunteer__county_id=params.county_id)
    return qs


def hours_by_team(params: ReportParams) -> list[list]:
    rows = list(
        _records(params).values("team").annotate(sum_hours=Sum("hours"), people=Count("volunteer", distinct=True), n=Count("id"))
        .order_by("-sum_hours")
    )
    # The names of the teams the counted hours were served in (only those).
    names = dict(ServiceTeam.objects.filter(pk__in=[r["team"] for r in rows if r["team"]]).values_list("id", "name"))
    return [[names.get(r["team"], "未归队"), r["people"], r["n"], float(r["sum_hours"])] for r in rows]


def hours_by_month(params: ReportParams) -> list[list]:
    rows = _records(params).annotate(month=TruncMonth("date")).values("month").annotate(
        sum_hours=Sum("hours"), n=Count("id")).order_by("month")
    return [[chinese_month(r["month"]), r["n"], float(r["sum_hours"])] for r in rows]


def _orders(params: ReportParams):
    # A unit's report counts the orders dispatched to its teams (one not yet dispatched is the city's).
    qs = params.scoped(ServiceOrder.objects.filter(params.within("submitted_at__date")))
    if params.county_id:
        qs = qs.filter(county_id=params.county_id)
    return qs


def orders_by_status(params: ReportParams) -> list[list]:
    counts = dict(_orders(params).values_list("status").annotate(n=Count("id")).order_by())
    return [[str(label), counts.get(value, 0)] for value, label in ServiceOrder.Status.choices]


def order_ratings(params: ReportParams) -> tuple[list[list], float | None]:
    qs = _orders(params).filter(rating__isnull=False)
    counts = dict(qs.values_list("rating").annotate(n=Count("id")).order_by())
    average = qs.aggregate(avg=Avg("rating"))["avg"]
    return [[f"{stars} 星", counts.get(stars, 0)] for stars in range(5, 0, -1)], average


@register_section("volunteers", _("科技志愿服务"), order=30)
def volunteers_section(params: ReportParams) -> list[Table]:
    f = volunteer_figures(params)
    ratings, average = order_ratings(params)
    return [
        Table(title="志愿者注册与审核", columns=["项目", "人数"], rows=[
            ["本期新注册", f["registered"]], ["本期审核通过", f["approved"]],
            ["在册志愿者（已通过）", f["on_roll"]], ["待审核", f["pending"]],
        ]),
        Table(title="服务时长（按队伍）", columns=["服务队伍", "参与人数", "服务记录数", "服务时长（小时）"],
              rows=hours_by_team(params), chart="bar"),
        Table(title="服务时长（按月）", columns=["月份", "服务记录数", "服务时长（小时）"], rows=hours_by_month(params), chart="line"),
        Table(title="点单（按状态）", columns=["状态", "点单数"], rows=orders_by_status(params), chart="pie"),
        Table(title="点单评价", columns=["评分", "点单数"], rows=ratings, chart="bar",
              note=f"平均评分 {average:.2f} 星" if average else "本期暂无评价"),
    ]


@extensions.unit_figure(30, label=_("注册志愿者"), unit=_("人"))
def volunteers_on_roll(params: ReportParams):
    return Volunteer.objects.filter(status=Volunteer.Status.APPROVED)
