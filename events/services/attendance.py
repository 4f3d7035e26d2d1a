"""Volunteers' own check-in and check-out by QR (扫码签到/签退) at the events their teams
serve at: the "service activities" of the portal.

Staff or the team's leader show the event's QR code; it holds the address of the event's
check-in page with the event's activity code, an HMAC of the event made with the site's
secret, so only someone who saw the code (the QR or its eight letters, typed) can check in.
A volunteer checks in once and out once, within the event's time window with a margin; the
check-out becomes a pending service record (like hours a leader records: staff confirm) for
the time between, capped at the event's length and rounded as the portal keeps hours.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from association import audit
from association.formatting import chinese_datetime
from association.models import AuditEntry
from volunteers.models import Membership, ServiceTeam, Volunteer
from volunteers.services import records

from ..models import Event, ServiceAttendance
from .errors import CheckInRefused
from .registrations import CODE_ALPHABET, normalise_code

# Check-in opens an hour before the start (setting up) and closes at the end; check-out
# stays open an hour after the end (clearing up, or the last to leave forgetting to scan).
CHECK_IN_OPENS_BEFORE = timedelta(minutes=60)
CHECK_OUT_CLOSES_AFTER = timedelta(minutes=60)
ACTIVITY_CODE_LENGTH = 8
SERVING_STATUSES = (Event.Status.PUBLISHED, Event.Status.FINISHED)


def margins() -> dict:
    """The margins in minutes, for the pages that state them."""
    return {"opens_before": int(CHECK_IN_OPENS_BEFORE.total_seconds() // 60),
            "closes_after": int(CHECK_OUT_CLOSES_AFTER.total_seconds() // 60)}


def activity_code(event_id: int) -> str:
    """The event's code: eight letters from its HMAC (the same alphabet as sign-up codes)."""
    digest = salted_hmac("events.service-check-in", str(event_id)).digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:ACTIVITY_CODE_LENGTH])


def code_matches(event_id: int, code: str) -> bool:
    return constant_time_compare(activity_code(event_id), normalise_code(code or ""))


def check_in_url(event_id: int) -> str:
    """What the event's QR code holds: the volunteer's check-in page with the code."""
    return f"{settings.SITE_URL}{reverse('events:service', args=[event_id])}?code={activity_code(event_id)}"


def opens_at(event: Event):
    return event.start - CHECK_IN_OPENS_BEFORE


def check_out_closes_at(event: Event):
    return event.end + CHECK_OUT_CLOSES_AFTER


def max_hours(event: Event) -> Decimal:
    """The event's length in hours, rounded as hours are kept, and at most a day's 24."""
    length = records.round_hours(Decimal((event.end - event.start).total_seconds()) / 3600)
    return min(length, records.MAX_HOURS)


def event_for_code(code: str, now=None):
    """The service activity open for check-in or check-out now whose code is ``code``, or None."""
    code = normalise_code(code or "")
    if len(code) != ACTIVITY_CODE_LENGTH:
        return None
    now = now or timezone.now()
    candidates = (Event.objects.filter(status__in=SERVING_STATUSES, teams__isnull=False,
                                       start__lte=now + CHECK_IN_OPENS_BEFORE, end__gte=now - CHECK_OUT_CLOSES_AFTER)
                  .distinct().only("id"))
    return next((e for e in candidates if code_matches(e.pk, code)), None)


def serving_team(volunteer_id: int, event: Event) -> ServiceTeam | None:
    """The volunteer's team among the event's (or a group under one of them, or the corps above)."""
    event_team_ids = list(event.teams.values_list("pk", flat=True))
    if not event_team_ids:
        return None
    membership = (
        Membership.objects.filter(volunteer_id=volunteer_id)
        .filter(team_id__in=event_team_ids) .select_related("team").first()
        or Membership.objects.filter(volunteer_id=volunteer_id, team__parent_id__in=event_team_ids)
        .select_related("team").first()
        or Membership.objects.filter(volunteer_id=volunteer_id, team__parent__parent_id__in=event_team_ids)
        .select_related("team").first()
    )
    return membership.team if membership else None


def _lock(event_id: int, volunteer_id: int, code: str) -> tuple[Event, Volunteer]:
    """The volunteer's row is the guard of their attendance; the event is read with it."""
    event = Event.objects.get(pk=event_id)
    if not code_matches(event.pk, code):
        raise CheckInRefused("wrong_activity_code", _("签到码不正确，请重新扫描活动现场的二维码。"))
    if event.status not in SERVING_STATUSES:
        raise CheckInRefused("activity_not_serving", _("活动未发布或已取消，不能签到。"))
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
    if volunteer.status != Volunteer.Status.APPROVED:
        raise CheckInRefused("volunteer_not_approved", _("通过审核的志愿者才能签到登记服务时长。"))
    return event, volunteer


def _local(moment) -> str:
    return chinese_datetime(moment)


def check_in(*, event_id: int, volunteer_id: int, code: str, now=None, request=None) -> ServiceAttendance:
    now = now or timezone.now()
    with transaction.atomic():
        event, volunteer = _lock(event_id, volunteer_id, code)
        if now < opens_at(event):
            raise CheckInRefused("check_in_not_open", _("签到将于 %(t)s 开始（活动开始前 %(m)s 分钟）。")
                              % {"t": _local(opens_at(event)), "m": margins()["opens_before"]})
        if now > event.end:
            raise CheckInRefused("check_in_closed", _("活动已于 %(t)s 结束，不能再签到。如确实参加了服务，可在“我的”页面申请补录。")
                              % {"t": _local(event.end)})
        existing = ServiceAttendance.objects.filter(event=event, volunteer=volunteer).first()
        if existing is not None:
            raise CheckInRefused("already_checked_in", _("您已于 %(t)s 签到，请勿重复签到。") % {"t": _local(existing.checked_in_at)})
        team = serving_team(volunteer.pk, event)
        if team is None:
            raise CheckInRefused("not_in_serving_team", _("您不在参与本活动的服务队伍中，不能签到。如有疑问请联系队长。"))
        try:
            with transaction.atomic():
                attendance = ServiceAttendance.objects.create(event=event, volunteer=volunteer, team=team,
                                                              checked_in_at=now)
        except IntegrityError as exc:
            raise CheckInRefused("already_checked_in", _("您已在本活动签到过，请勿重复签到。")) from exc
        audit.record(AuditEntry.Action.CREATE, obj=attendance, request=request, actor=volunteer.user,
                     detail="志愿者扫码签到")
    return attendance


def check_out(*, event_id: int, volunteer_id: int, code: str, now=None, request=None) -> ServiceAttendance:
    """Check out and record the hours between check-in and now (at most the event's length)."""
    now = now or timezone.now()
    with transaction.atomic():
        event, volunteer = _lock(event_id, volunteer_id, code)
        attendance = ServiceAttendance.objects.select_for_update().filter(event=event, volunteer=volunteer).first()
        if attendance is None:
            raise CheckInRefused("not_checked_in", _("您还没有在本活动签到，请先签到。"))
        if attendance.checked_out_at is not None:
            raise CheckInRefused("already_checked_out", _("您已于 %(t)s 签退，请勿重复签退。") % {"t": _local(attendance.checked_out_at)})
        if now > check_out_closes_at(event):
            raise CheckInRefused("check_out_closed", _("签退已于 %(t)s 截止（活动结束后 %(m)s 分钟）。请在“我的”页面申请补录服务时长。")
                              % {"t": _local(check_out_closes_at(event)), "m": margins()["closes_after"]})
        served = records.round_hours(Decimal((now - attendance.checked_in_at).total_seconds()) / 3600)
        hours = min(served, max_hours(event))
        if hours <= 0:
            raise CheckInRefused("served_too_short", _("签到不足 6 分钟，请在服务结束时再签退。"))
        (record,) = records.record_hours(
            volunteer_ids=[volunteer.pk], hours=hours, date=timezone.localtime(attendance.checked_in_at).date(),
            title=event.title, activity=event, team_id=attendance.team_id, recorded_by=volunteer.user,
        )
        attendance.checked_out_at = now
        attendance.record = record
        attendance.save(update_fields=["checked_out_at", "record"])
    return attendance
