"""The return's screens: the list of a unit's returns and of those below it, the unit's own
return to fill in (laid out like the paper tables), and the level above's review page.

Staff only, with the right to view returns, after two-step log-in; every return is reached
through ``association.scoping`` (another county's: 404), and every change through
``returns.workflow`` (which says who may).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from association import scoping, two_factor
from association.models import Organization
from association.states import DomainError

from . import services, workflow
from .forms import ReturnForm, SendBackForm
from .models import ReturnItem, ReturnTable, StatisticsReturn

VIEW_PERM = "returns.view_statisticsreturn"
Status = StatisticsReturn.Status

# Where the records a computed item counts can be looked at: (rule prefix, admin change
# list, its query). The longest prefix that matches wins.
SOURCES = [
    ("events.", "events", "event", lambda year: {"start__year": year}),
    ("volunteers.registered", "volunteers", "volunteer", lambda year: {"status__exact": "approved"}),
    ("talents.demands", "talents", "techdemand", lambda year: {}),
    ("talents.matches", "talents", "match", lambda year: {}),
    ("talents.nominations", "talents", "nomination", lambda year: {}),
    ("talents.awarded", "talents", "nomination", lambda year: {}),
    ("association.articles", "association", "article", lambda year: {"published_at__year": year}),
    ("association.units", "association", "organization", lambda year: {}),
]


def _require_view(user):
    if not (two_factor.may_act_as_staff(user) and user.has_perm(VIEW_PERM)):
        raise PermissionDenied(_("您没有查看统计年报的权限。"))


def _years() -> list[int]:
    return sorted(set(ReturnTable.objects.values_list("year", flat=True)), reverse=True)


def _home_unit(user) -> Organization | None:
    """The unit whose returns the user looks after: their own, or the city for its staff."""
    unit = scoping.unit_of(user)
    if unit is not None:
        return unit
    city = scoping.city_unit_id()
    return Organization.objects.filter(pk=city).first() if city else None


def source_link(item: ReturnItem, user, year: int) -> str:
    found = [s for s in SOURCES if item.rule == s[0].rstrip(".") or item.rule.startswith(s[0])]
    if not found:
        return ""
    _prefix, app, model, query = max(found, key=lambda s: len(s[0]))
    if not user.has_perm(f"{app}.view_{model}"):
        return ""
    try:
        url = reverse(f"admin:{app}_{model}_changelist")
    except NoReverseMatch:
        return ""
    params = query(year)
    return f"{url}?{urlencode(params)}" if params else url


@dataclass
class Line:
    item: ReturnItem
    value: object
    note: str
    last: object
    total: object
    link: str
    value_field: object = None
    note_field: object = None


def sections(statistics_return: StatisticsReturn, user, form: ReturnForm | None = None) -> list[dict]:
    """One section per table: its lines with 本年 (本级), 汇总, 上年, the rule and the source."""
    organization, year = statistics_return.organization, statistics_return.year
    rows = {v.item_id: v for v in statistics_return.values.all()}
    last = workflow.last_year_figures(statistics_return)
    rolled = services.roll_up(organization.pk, year)
    out, current = [], None
    for item in services.items_for(organization, year):
        if current is None or current["table"].pk != item.table_id:
            current = {"table": item.table, "lines": []}
            out.append(current)
        row = rows.get(item.pk)
        current["lines"].append(Line(
            item=item,
            value=workflow.plain(row.value) if row is not None else "",
            note=row.note if row is not None else "",
            last=workflow.plain(last[(item.table.code, item.code)]) if (item.table.code, item.code) in last else "",
            total=workflow.plain(rolled.totals.get(item.pk)),
            link=source_link(item, user, year) if item.is_computed else "",
            value_field=form[f"value_{item.pk}"] if form is not None and not item.is_computed else None,
            note_field=form[f"note_{item.pk}"] if form is not None else None,
        ))
    return out


def _page(request, statistics_return, *, form=None, send_back_form=None, status=200):
    user = request.user
    editable = form is not None
    return render(request, "returns/return.html", {
        "statistics_return": statistics_return,
        "sections": sections(statistics_return, user, form),
        "form": form,
        "editable": editable,
        "may_review": (statistics_return.status == Status.SUBMITTED and workflow.may_review(user, statistics_return)),
        "send_back_form": send_back_form or SendBackForm(),
        "missing": services.missing_below(statistics_return.organization_id, statistics_return.year),
    }, status=status)


@login_required
@two_factor.two_step_required
@never_cache
def index(request):
    """A unit's own returns; and, for the level above, the returns of the units below it
    in the year, with the filing units whose return is not yet accepted."""
    _require_view(request.user)
    years = _years()
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if year not in years:
        year = years[0] if years else this_year
    unit = _home_unit(request.user)
    own = []
    below = scoping.scope(StatisticsReturn.objects.select_related("organization"), request.user).filter(year=year)
    missing = []
    if unit is not None:
        own = list(StatisticsReturn.objects.filter(organization=unit).order_by("-year"))
        below = below.exclude(organization=unit)
        if services.files_a_return(unit) and year in years:
            missing = services.missing_below(unit.pk, year)
    below = list(below.order_by("organization__kind", "organization__name"))
    for statistics_return in below:
        statistics_return.reviewable = (statistics_return.status == Status.SUBMITTED
                                        and workflow.may_review(request.user, statistics_return))
    filed = {r.organization_id: r for r in below}
    return render(request, "returns/list.html", {
        "year": year, "years": years, "unit": unit,
        "files": unit is not None and services.files_a_return(unit),
        "own": own, "below": below,
        "missing": [(org, filed.get(org.pk)) for org in missing],
        "may_fill": unit is not None and request.user.has_perm(workflow.CHANGE_PERM),
    })


@login_required
@two_factor.two_step_required
@never_cache
def fill(request, year: int):
    """The user's own unit's return of ``year``: made when first opened, its computed items
    counted afresh while it is being filled in."""
    _require_view(request.user)
    # A unit's staff fill in their unit's return; the city's departments the city's.
    unit = _home_unit(request.user)
    if unit is None:
        return redirect("returns:index")
    if not ReturnTable.objects.filter(year=year).exists() or year > timezone.localdate().year:
        raise Http404(_("没有该年度的统计报表。"))
    if not services.files_a_return(unit):
        return render(request, "returns/list.html", {"unit": unit, "files": False, "year": year, "years": _years(),
                                                     "own": [], "below": [], "missing": []})
    statistics_return = services.open_return(unit.pk, year)
    editable = statistics_return.status in workflow.EDITABLE and workflow.may_fill(request.user, statistics_return)
    items = list(services.items_for(unit, year))

    def rows():
        return {v.item_id: v for v in statistics_return.values.all()}

    if request.method != "POST":
        form = ReturnForm(statistics_return=statistics_return, items=items, rows=rows()) if editable else None
        return _page(request, statistics_return, form=form)

    form = ReturnForm(request.POST, statistics_return=statistics_return, items=items, rows=rows())
    if not editable:
        # Refused whatever was sent: the stored return is shown as it is.
        try:
            workflow.save_entries(statistics_return.pk, {}, actor=request.user, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        statistics_return.refresh_from_db()
        return _page(request, statistics_return, status=409)
    if not form.is_valid():
        return _page(request, statistics_return, form=form, status=400)
    try:
        workflow.save_entries(statistics_return.pk, form.values(), form.notes(), form.sign_off(),
                              actor=request.user, request=request)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _page(request, statistics_return, form=form, status=400)
    statistics_return.refresh_from_db()
    if request.POST.get("action") != "submit":
        messages.success(request, _("已保存。"))
        return redirect("returns:fill", year=year)
    problems = workflow.check_return(statistics_return.pk)
    if not problems:
        try:
            workflow.submit(statistics_return.pk, actor=request.user, request=request)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return _page(request, statistics_return, form=form, status=400)
        messages.success(request, _("已报送，等待上级审核。"))
        return redirect("returns:fill", year=year)
    form.add_error(None, _("已保存，但未能报送，请按各项旁的红色提示修改后重新报送。"))
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)
    return _page(request, statistics_return, form=form, status=400)


@login_required
@two_factor.two_step_required
@never_cache
def review(request, pk: int):
    """A return read-only; for the level above, 退回（需填写原因） and 审核通过."""
    _require_view(request.user)
    statistics_return = get_object_or_404(
        scoping.scope(StatisticsReturn.objects.select_related("organization"), request.user), pk=pk)
    if request.method != "POST":
        return _page(request, statistics_return)
    action = request.POST.get("action")
    send_back_form = SendBackForm(request.POST)
    try:
        if action == "send_back":
            reason = send_back_form.cleaned_data["reason"] if send_back_form.is_valid() else ""
            workflow.send_back(pk, reason, actor=request.user, request=request)
            messages.success(request, _("已退回%(unit)s，退回原因已告知该单位。") % {"unit": statistics_return.organization.name})
        elif action == "accept":
            workflow.accept(pk, actor=request.user, request=request)
            messages.success(request, _("%(unit)s的统计年报已审核通过。") % {"unit": statistics_return.organization.name})
        else:
            raise DomainError(_("请选择退回或审核通过。"))
    except DomainError as exc:
        messages.error(request, exc.message)
        statistics_return.refresh_from_db()
        return _page(request, statistics_return, send_back_form=send_back_form, status=409)
    return redirect(f"{reverse('returns:index')}?year={statistics_return.year}")
