"""The core's own sections of the annual report: organisations by kind and by county.

Imported from ``AssociationConfig.ready()``; importing it also wires the reporting
framework's schedule (the monthly summary) and the leaders' permissions for reports.
"""

from django.db.models import Count, Q
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from . import extensions, roles, schedule
from .models import County, Organization
from .reporting import ReportParams, Table, register_section

K = Organization.Kind
# The grassroots bodies a county is judged by, as columns of the county table.
GRASSROOTS_KINDS = [
    K.TOWNSHIP_ASSOCIATION, K.ENTERPRISE_ASSOCIATION, K.SOCIETY, K.RURAL_TECHNICAL_ASSOCIATION,
    K.E_STATION, K.POPSCI_BASE, K.RURAL_POPSCI_BASE, K.COMMUNITY_HALL,
]


def _organizations(params: ReportParams):
    qs = params.scoped(Organization.objects.active())
    if params.county_id:
        qs = qs.filter(county_id=params.county_id)
    return qs


def _founded_in_period(params: ReportParams) -> Q:
    if not params.start:
        return Q(pk__in=[])
    return Q(founded__gte=params.start, founded__lte=params.end)


@register_section("organizations", _("组织体系"), order=10)
def organizations_section(params: ReportParams) -> list[Table]:
    orgs = _organizations(params)
    by_kind = {
        row["kind"]: row
        for row in orgs.values("kind").annotate(total=Count("id"), new=Count("id", filter=_founded_in_period(params))).order_by()
    }
    kind_rows = [
        [label, by_kind[value]["total"], by_kind[value]["new"]] for value, label in K.choices if value in by_kind
    ]

    county_counts = (
        orgs.values("county__name", "county__order")
        .annotate(total=Count("id"), **{kind.value: Count("id", filter=Q(kind=kind)) for kind in GRASSROOTS_KINDS})
        .order_by("county__order", "county__name")
    )
    county_rows = [[row["county__name"] or "未注明", row["total"]] for row in county_counts]
    pivot_rows = [
        [row["county__name"] or "未注明", *(row[kind.value] for kind in GRASSROOTS_KINDS)] for row in county_counts
    ]
    if params.county_id:
        scope = County.objects.filter(pk=params.county_id).values_list("name", flat=True).first()
    else:
        scope = "本单位及下级单位中" if params.unit_id else "全市"
    return [
        Table(
            title=str(_("各类单位数量")),
            columns=[str(_("类别")), str(_("单位数")), str(_("其中本期成立"))],
            rows=kind_rows,
            chart="bar",
            note=f"{scope}现有有效单位；“本期成立”按成立日期统计。",
        ),
        Table(
            title=str(_("各县（区）单位数量")),
            columns=[str(_("县（区）")), str(_("单位数"))],
            rows=county_rows,
            chart="bar",
        ),
        Table(
            title=str(_("各县（区）基层组织构成")),
            columns=[str(_("县（区）")), *(str(kind.label) for kind in GRASSROOTS_KINDS)],
            rows=pivot_rows,
        ),
    ]


# Leaders start reports; viewing the dashboard and the jobs comes with their view_* rights.
extensions.role_permissions(roles.LEADERS, ["association.add_reportjob"])
post_migrate.connect(schedule.sync_periodic_tasks, dispatch_uid="association-periodic-tasks")
