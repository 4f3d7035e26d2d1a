"""Pages of the events app: thin, reading the request and calling selectors or services."""

from functools import partial

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from association import audit, scoping, two_factor
from association.models import AuditEntry, County
from association.privatefiles import private_file_response
from association.states import DomainError
from association.two_factor import staff_permission_required
from volunteers.consents import GUARDIAN_STATEMENT_VERSION
from volunteers.selectors import volunteer_for_user
from volunteers.services import orders

from . import ics, selectors
from .filters import EventFilterSet
from .forms import ActivityCodeForm, CheckInForm, RegistrationForm
from .models import Event, Registration, RosterExport
from .services import DuplicateRegistration, attendance, exports, registrations

FEED_LIMIT = 500


def _public_event(pk):
    try:
        return selectors.event_for_page(pk)
    except Event.DoesNotExist as exc:
        raise Http404(_("没有这个活动。")) from exc


def event_list(request):
    # Built and read only when the list is rendered: it is mostly kept rendered
    # (association.fragments).
    filters = SimpleLazyObject(partial(EventFilterSet, request.GET))
    page = SimpleLazyObject(lambda: selectors.event_list_page(filters, request.GET.get("page")))
    return render(request, "events/list.html", {
        "page_obj": page,
        "filters": filters,
        "kinds": Event.Kind.choices,
        "counties": County.objects.all(),
    })


def calendar_month(request):
    filters = EventFilterSet(request.GET)
    month = filters.values.get("month") or timezone.localdate().replace(day=1)
    previous = (month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    weeks = selectors.calendar_month(month, filters)
    return render(request, "events/calendar.html", {
        "month": month,
        "weeks": weeks,
        "days": selectors.days_with_events(weeks),
        "filters": filters,
        "previous_query": filters.query(month=f"{previous:%Y-%m}"),
        "next_query": filters.query(month=f"{following:%Y-%m}"),
        "month_query": filters.query(month=f"{month:%Y-%m}"),
        "kinds": Event.Kind.choices,
        "counties": County.objects.all(),
    })


def event_detail(request, pk):
    # Read only when the page is rendered: it is mostly kept rendered (association.fragments),
    # and then an event that is no longer public has changed its version (a 404 once read).
    event = SimpleLazyObject(partial(_public_event, pk))
    return render(request, "events/detail.html", {
        "event_id": pk,
        "event": event,
        "outcome": SimpleLazyObject(lambda: getattr(event, "outcome", None)),
        # (both read together: the same queries whether or not the series has other events)
        "series": SimpleLazyObject(lambda: {"events": selectors.series_events(event),
                                            "totals": selectors.series_totals(event.series)}),
        "closed_reason": SimpleLazyObject(lambda: event.signup_closed_reason()),
    })


def register(request, pk):
    form = RegistrationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        # On 科普日 this is the busiest page: the service takes the event under its lock and
        # checks everything there, so the event is read here only to show the form again.
        try:
            registration = registrations.register(event_id=pk, user=request.user, **form.cleaned_data_for_service())
        except Event.DoesNotExist as exc:
            raise Http404(_("没有这个活动。")) from exc
        except DomainError as error:
            field = "mobile" if isinstance(error, DuplicateRegistration) else getattr(error, "field", None)
            form.add_error(field, error.message)
        else:
            return redirect(registration.get_absolute_url())
    try:
        event = selectors.event_for_signup(pk)
    except Event.DoesNotExist as exc:
        raise Http404(_("没有这个活动。")) from exc
    return render(request, "events/register.html", {
        "event": event, "form": form, "closed_reason": event.signup_closed_reason(),
        "guardian_version": GUARDIAN_STATEMENT_VERSION,
    })


def _qr_svg(registration: Registration) -> str:
    url = settings.SITE_URL + reverse("events:check_in", args=[registration.event_id]) + f"?code={registration.check_in_code}"
    return segno.make(url, error="m").svg_inline(scale=5, dark="#0b3a75", title=_("签到二维码"))


# Pages opened by a private link or code (a sign-up's token, a check-in code) and files of
# personal data: never kept by a browser, a proxy or the public page cache.
@never_cache
def registration_page(request, token):
    try:
        registration = selectors.registration_for_token(token)
    except Registration.DoesNotExist as exc:
        raise Http404(_("没有找到这条报名，请检查链接是否完整。")) from exc
    show_qr = registration.status == Registration.Status.CONFIRMED
    return render(request, "events/registration.html", {
        "registration": registration,
        "event": registration.event,
        "qr_svg": _qr_svg(registration) if show_qr else "",
    })


@never_cache
@require_POST
def registration_cancel(request, token):
    registration = Registration.objects.filter(token=token).only("id", "token").first()
    if registration is None:
        raise Http404(_("没有找到这条报名。"))
    try:
        registrations.cancel(registration_id=registration.pk, request=request, reason=_("报名者本人取消"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已为您取消报名。如需参加，可重新报名。"))
    return redirect("events:registration", token=token)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


FEED_CACHE_SECONDS = 600


def calendar_feed(request):
    """The subscription feed: calendar programs poll it, so it is kept for ten minutes."""
    filters = EventFilterSet(request.GET)
    key = "events:feed:" + "&".join(f"{name}={value}" for name, value in sorted(filters.values.items()))
    content = cache.get(key)
    if content is None:
        since = timezone.now() - timezone.timedelta(days=90)
        events = (
            filters.apply(Event.objects.public().select_related("organiser"))
            .filter(end__gte=since)
            .defer("description")
            .order_by("start", "id")[:FEED_LIMIT]
        )
        content = ics.build(events, name=_("%(site)s 活动日历") % {"site": request_site_name()})
        cache.set(key, content, FEED_CACHE_SECONDS)
    return _ics_response(content, "calendar.ics")


def request_site_name() -> str:
    from association.models import SiteSettings

    return SiteSettings.load().short_name


def event_ics(request, pk):
    event = _public_event(pk)
    return _ics_response(ics.build([event], name=event.title), f"event-{event.pk}.ics")


@never_cache
@staff_permission_required("events.check_in_registration")
def check_in(request, pk):
    # A unit's desk checks people in at its own events only: another unit's is not found.
    event = get_object_or_404(scoping.scope(Event.objects.select_related("county"), request.user), pk=pk)
    result = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                result = registrations.check_in(event_id=event.pk, code=form.cleaned_data["code"], actor=request.user,
                                                request=request)
            except DomainError as error:
                form.add_error("code", error.message)
            else:
                event.refresh_from_db()
                form = CheckInForm()
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:20]})
    recent = (
        event.registrations.filter(status=Registration.Status.CHECKED_IN)
        .only("name", "checked_in_at").order_by("-checked_in_at")[:8]
    )
    return render(request, "events/check_in.html", {"event": event, "form": form, "result": result, "recent": recent,
                                                    "is_service_activity": event.teams.exists()})


def _export_for(request, pk) -> RosterExport:
    # A roster of another unit's event is not found, whoever asked for it.
    export = get_object_or_404(scoping.scope(RosterExport.objects.select_related("event", "requested_by"), request.user),
                               pk=pk)
    user = request.user
    allowed = user.is_staff and (export.requested_by_id == user.pk or user.has_perm("events.view_registration"))
    if export.unmasked and not user.has_perm(exports.PERSONAL_DATA_PERMISSION):
        allowed = False
    if not allowed:
        raise PermissionDenied
    return export


@never_cache
@staff_permission_required("events.view_registration")
def export_status(request, pk):
    export = _export_for(request, pk)
    return render(request, "events/export.html", {"export": export})


@never_cache
@staff_permission_required("events.view_registration")
def export_download(request, pk):
    export = _export_for(request, pk)
    if export.status != RosterExport.Status.DONE or not export.file:
        raise Http404(_("名单尚未生成。"))
    if export.unmasked:
        audit.record(AuditEntry.Action.VIEW_PERSONAL, obj=export.event, request=request,
                     detail=_("下载含完整手机号码的报名名单 #%(id)s") % {"id": export.pk})
    filename = f"{export.event.title[:40]}-报名名单-{timezone.localtime(export.created):%Y%m%d%H%M}.xlsx"
    return private_file_response(export.file, filename=filename, missing=_("名单文件已不存在，请重新生成。"),
                                 content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# -- volunteers' own check-in by QR at service activities ------------------------------------
def _may_show_activity_qr(user, event: Event) -> bool:
    """Staff who check people in at this event (within their unit's reach), or the leader of
    a team serving at it."""
    if two_factor.may_act_as_staff(user) and user.has_perm("events.check_in_registration") \
            and scoping.may_reach(user, event):
        return True
    return any(orders.leads(user, team) for team in event.teams.select_related("parent"))


@never_cache
@login_required
def service_qr(request, pk):
    """The event's QR code for volunteers to check in and out: shown on a screen or printed."""
    event = get_object_or_404(Event.objects.select_related("county"), pk=pk)
    if not _may_show_activity_qr(request.user, event):
        raise Http404(_("没有这个活动。"))
    url = attendance.check_in_url(event.pk)
    return render(request, "events/service_qr.html", {
        "event": event,
        "qr_svg": segno.make(url, error="m").svg_inline(scale=8, title=_("志愿者签到二维码")),
        "code": attendance.activity_code(event.pk),
        "margins": attendance.margins(),
        "opens_at": attendance.opens_at(event),
        "check_out_closes_at": attendance.check_out_closes_at(event),
        "teams": list(event.teams.all()),
        "attendances": selectors.attendances_of_event(event),
    })


@never_cache
@login_required
def service_scan(request):
    """Where a volunteer scans the activity's QR in the page, or types its code."""
    form = ActivityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = attendance.event_for_code(form.cleaned_data["code"])
        if event is None:
            form.add_error("code", _("没有找到正在进行、可以签到的服务活动，请检查签到码。"))
        else:
            return redirect(f"{reverse('events:service', args=[event.pk])}?code={form.cleaned_data['code']}")
    return render(request, "events/service_scan.html", {"form": form})


@never_cache
@login_required
def service_check_in(request, pk):
    """The page the activity's QR opens: the volunteer checks in, and later out."""
    event = get_object_or_404(Event.objects.filter(status__in=attendance.SERVING_STATUSES), pk=pk)
    code = (request.POST.get("code") or request.GET.get("code") or "")[:20]
    volunteer = volunteer_for_user(request.user)
    if volunteer is not None and request.method == "POST":
        try:
            if request.POST.get("action") == "out":
                done = attendance.check_out(event_id=event.pk, volunteer_id=volunteer.pk, code=code, request=request)
                messages.success(request, _("签退成功，本次服务时长 %(h)s 小时，待工作人员确认后计入累计时长。")
                                 % {"h": done.record.hours})
            else:
                attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=code, request=request)
                messages.success(request, _("签到成功。服务结束离开前，请再扫一次二维码签退。"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(f"{reverse('events:service', args=[event.pk])}?code={attendance.normalise_code(code)}")
    return render(request, "events/service_check_in.html", {
        "event": event,
        "volunteer": volunteer,
        "code": attendance.normalise_code(code),
        "code_ok": attendance.code_matches(event.pk, code),
        "attendance": selectors.attendance_of(event, volunteer) if volunteer else None,
        "opens_at": attendance.opens_at(event),
        "check_out_closes_at": attendance.check_out_closes_at(event),
        "max_hours": attendance.max_hours(event),
        "margins": attendance.margins(),
    })
