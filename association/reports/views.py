"""The leaders' dashboard, a report job's progress as JSON, and downloading its files.

Staff only, by permission: the dashboard needs ``association.view_dashboard`` (the 领导
group has it), the jobs need ``association.view_reportjob``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from association import audit, scoping, two_factor
from association.models import AuditEntry, ReportJob

from ..formatting import chinese_datetime
from ..privatefiles import private_file_response
from . import selectors

FILE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
YEARS_SHOWN = 6


def can_view_dashboard(user) -> bool:
    return two_factor.may_act_as_staff(user) and user.has_perm("association.view_dashboard")


def can_view_jobs(user) -> bool:
    return two_factor.may_act_as_staff(user) and user.has_perm("association.view_reportjob")


def _require(check, user):
    if not check(user):
        raise PermissionDenied(_("您没有查看该页面的权限。"))


@login_required
@two_factor.two_step_required
@never_cache
def dashboard(request):
    _require(can_view_dashboard, request.user)
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - YEARS_SHOWN, -1))
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if year not in years:
        year = this_year
    can_jobs = can_view_jobs(request.user)
    # A unit's staff see their own unit's figures, with the units below it broken out;
    # the city's see the city's, with each county and unit below the city.
    unit = scoping.unit_of(request.user)
    unit_id = unit.pk if unit is not None else None
    overview = selectors.unit_overview(year, unit_id)
    return render(
        request,
        "association/dashboard.html",
        {
            "year": year,
            "years": years,
            "unit": unit,
            "figures": overview.figures if unit is not None else selectors.headline_figures(),
            "overview": overview,
            "sections": selectors.dashboard_sections(year, unit_id),
            "jobs": selectors.recent_jobs(request.user) if can_jobs else [],
            "can_view_jobs": can_jobs,
            "can_add_report": request.user.has_perm("association.add_reportjob"),
        },
    )


def job_state(job: ReportJob) -> dict:
    return {
        "id": job.pk,
        "title": job.title,
        "status": job.shown_status,
        "status_label": job.shown_status_label,
        "active": job.is_active,
        "sections_done": job.sections_done,
        "sections_total": job.sections_total,
        "percent": job.percent,
        "current_step": job.current_step,
        "progress_label": job.progress_label,
        "error": job.shown_error,
        "finished": chinese_datetime(job.finished),
        "downloads": {
            kind: reverse("reports:download", args=[job.pk, kind])
            for kind in FILE_TYPES
            if job.status == ReportJob.Status.SUCCEEDED and getattr(job, kind)
        },
    }


@login_required
@two_factor.two_step_required
@never_cache
def job_status(request, pk: int):
    _require(can_view_jobs, request.user)
    # Read only: a job whose worker vanished shows as the report sweep will record it.
    job = get_object_or_404(scoping.scope(ReportJob.objects.select_related("county", "unit"), request.user), pk=pk)
    return JsonResponse(job_state(job), json_dumps_params={"ensure_ascii": False})


@login_required
@never_cache
@two_factor.two_step_required
def download(request, pk: int, kind: str):
    _require(can_view_jobs, request.user)
    if kind not in FILE_TYPES:
        raise Http404
    # A unit's staff reach their own unit's reports only (another's: as if it did not exist).
    job = get_object_or_404(scoping.scope(ReportJob.objects.select_related("county", "unit"), request.user), pk=pk)
    field = getattr(job, kind)
    if job.status != ReportJob.Status.SUCCEEDED or not field:
        raise Http404(_("该报表尚未生成完成。"))
    if not field.storage.exists(field.name):
        raise Http404(_("报表文件已不存在，请重新生成。"))
    audit.record(AuditEntry.Action.EXPORT, obj=job, detail=_("下载%(kind)s文件") % {"kind": kind.upper()}, request=request)
    return private_file_response(field, filename=f"{job.title}.{kind}", content_type=FILE_TYPES[kind],
                                 missing=_("报表文件已不存在，请重新生成。"))
