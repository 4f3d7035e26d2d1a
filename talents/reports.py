"""This app's sections of the annual statistics report (年度工作统计); all counted in the database."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import extensions
from association.choices import TitleLevel
from association.formatting import chinese_numeral
from association.reporting import ReportParams, Table, register_section

from .models import AwardRound, Field, Industry, Nomination, Talent, TechDemand


@register_section("talents_awards", gettext_lazy("评选表彰"), order=60)
def awards_section(params: ReportParams) -> list[Table]:
    rounds = AwardRound.objects.select_related("programme")
    if params.year:
        rounds = rounds.filter(year=params.year)
    elif params.start or params.end:
        rounds = rounds.filter(params.within("nomination_opens"))
    reviewed = list(Nomination.RANKED_STATES)
    round_ids = rounds.values("pk")
    # A unit's report counts its own (and its subtree's) nominations in every round.
    nominations = params.scoped(Nomination.objects.filter(round__in=round_ids))
    counts = {
        row["round_id"]: row
        for row in nominations.values("round_id").annotate(
            n_nominations=Count("id"),
            n_reviewed=Count("id", filter=Q(status__in=reviewed)),
            n_ineligible=Count("id", filter=Q(status=Nomination.Status.INELIGIBLE)),
            n_awarded=Count("id", filter=Q(status=Nomination.Status.AWARDED)),
        ).order_by()
    }
    empty = {"n_nominations": 0, "n_reviewed": 0, "n_ineligible": 0, "n_awarded": 0}
    rows = []
    for r in rounds.order_by("programme__order", "number"):
        c = counts.get(r.pk, empty)
        rows.append([r.programme.name, _("第%(n)s届") % {"n": chinese_numeral(r.number)}, _("%(y)s年") % {"y": r.year},
                     r.get_status_display(), r.quota, c["n_nominations"], c["n_ineligible"], c["n_reviewed"], c["n_awarded"]])
    by_programme = (
        nominations.filter(status=Nomination.Status.AWARDED)
        .values_list("round__programme__name")
        .annotate(n=Count("id"))
        .order_by("round__programme__order")
    )
    return [
        Table(
            title=_("各届评选情况"),
            columns=[_("奖项"), _("届次"), _("年度"), _("状态"), _("名额"), _("推荐数"), _("资格不符"), _("进入评审"), _("获奖")],
            rows=rows,
        ),
        Table(
            title=_("各奖项获奖人数（人次 / 个）"),
            columns=[_("奖项"), _("获奖")],
            rows=[[name, n] for name, n in by_programme],
            chart="bar",
        ),
    ]


@register_section("talents_registry", gettext_lazy("人才库"), order=61)
def talents_section(params: ReportParams) -> list[Table]:
    """A snapshot of the registry (it is not dated); the county narrows it. The registry is
    the city's (``scoping.CITY``): a unit's report shows none of it."""
    talents = params.scoped(Talent.objects.all())
    if params.county_id:
        talents = talents.filter(county_id=params.county_id)
    levels = list(TitleLevel)
    counts = {
        (field_id, level): n
        for field_id, level, n in talents.values_list("field", "title_level").annotate(n=Count("id")).order_by()
    }
    by_level = dict(talents.values_list("title_level").annotate(n=Count("id")).order_by())
    names = dict(Field.objects.values_list("pk", "name"))
    rows = []
    for field_id in [*names, None]:
        row = [counts.get((field_id, lv), 0) for lv in levels]
        if sum(row):
            rows.append([names.get(field_id, _("未填写")), *row, sum(row)])
    totals = talents.aggregate(
        pool=Count("id", filter=Q(in_expert_pool=True)),
        doctors=Count("id", filter=Q(in_doctors_association=True)),
        haizhi=Count("id", filter=Q(is_haizhi=True)),
        public=Count("id", filter=Q(public_profile=True)),
        public_pool=Count("id", filter=Q(public_profile=True, in_expert_pool=True)),
        total=Count("id"),
    )
    return [
        Table(
            title=_("人才库全体人员按专业领域和职称级别（含未公开简介者）"),
            columns=[_("专业领域"), *[str(lv.label) for lv in levels], _("合计")],
            rows=rows,
        ),
        Table(
            title=_("人才库全体人员按职称级别（含未公开简介者）"),
            columns=[_("职称级别"), _("人数")],
            rows=[[str(lv.label), by_level.get(lv.value, 0)] for lv in levels],
            chart="pie",
        ),
        Table(
            title=_("人才库构成"),
            columns=[_("名录"), _("人数")],
            rows=[
                [_("专家库（全部）"), totals["pool"]],
                [_("专家库中同意公开简介（首页与专家名录所示）"), totals["public_pool"]],
                [_("博士联谊会"), totals["doctors"]],
                [_("海智专家"), totals["haizhi"]],
                [_("同意公开简介（专家名录合计）"), totals["public"]],
                [_("人才库合计"), totals["total"]],
            ],
        ),
    ]


@register_section("talents_demands", gettext_lazy("企业技术需求"), order=62)
def demands_section(params: ReportParams) -> list[Table]:
    demands = params.scoped(TechDemand.objects.filter(params.within("created__date")))
    if params.county_id:
        demands = demands.filter(county_id=params.county_id)
    by_status = dict(demands.values_list("status").annotate(n=Count("id")).order_by())
    by_industry = demands.values_list("industry").annotate(
        n=Count("id"),
        published=Count("id", filter=Q(status__in=TechDemand.PUBLIC_STATES)),
        solved=Count("id", filter=Q(status=TechDemand.Status.SOLVED)),
    ).order_by("industry")
    industry_labels = dict(Industry.choices)
    enterprises = demands.values("enterprise_name").distinct().count()
    return [
        Table(
            title=_("技术需求按状态"),
            columns=[_("状态"), _("需求数")],
            rows=[[str(label), by_status.get(value, 0)] for value, label in TechDemand.Status.choices],
            chart="pie",
            note=_("提出需求的企业 %(n)s 家，需求 %(total)s 项。") % {"n": enterprises, "total": sum(by_status.values())},
        ),
        Table(
            title=_("技术需求按行业"),
            columns=[_("行业"), _("征集"), _("发布"), _("解决")],
            rows=[[str(industry_labels.get(ind, ind)), n, pub, solved] for ind, n, pub, solved in by_industry],
            chart="bar",
        ),
    ]


@extensions.unit_figure(40, label=gettext_lazy("推荐奖项人选"), unit=gettext_lazy("人次"))
def nominations_made(params: ReportParams):
    return Nomination.objects.filter(params.within("submitted_at__date"))


@extensions.unit_figure(50, label=gettext_lazy("征集技术需求"), unit=gettext_lazy("项"))
def demands_collected(params: ReportParams):
    return TechDemand.objects.filter(params.within("created__date"))


@extensions.unit_figure(60, label=gettext_lazy("解决技术需求"), unit=gettext_lazy("项"))
def demands_solved(params: ReportParams):
    return TechDemand.objects.filter(params.within("created__date"), status=TechDemand.Status.SOLVED)
