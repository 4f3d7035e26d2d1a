"""Sign-up and its state machine.

A sign-up takes the event row (``select_for_update``) before it counts seats, so however
many people press the button at once they are served one after another: the first
``capacity`` are confirmed, the rest go on the waiting list (or are told the event is
full). A cancellation frees the seat and promotes the first person on the waiting list in
the same transaction.
"""

import secrets

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import queue
from association.crypto import lookup_hash
from association.states import StateMachine, TransitionNotAllowed

from ..models import MOBILE_PURPOSE, Event, Registration
from ._common import lock_event
from .errors import (
    AlreadyCheckedIn,
    Busy,
    DuplicateRegistration,
    EventFull,
    GuardianRequired,
    SignupClosed,
    UnknownCode,
)

S = Registration.Status

REGISTRATIONS = StateMachine(S, {
    S.PENDING: {S.CONFIRMED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.CONFIRMED: {S.CHECKED_IN, S.CANCELLED},
    S.WAITLISTED: {S.CONFIRMED, S.CANCELLED},
    S.CHECKED_IN: set(),
    S.CANCELLED: set(),
    S.REJECTED: set(),
})

# The time each move stamps on the sign-up.
_STAMPS = {
    S.CONFIRMED: "confirmed_at",
    S.CHECKED_IN: "checked_in_at",
    S.CANCELLED: "cancelled_at",
    S.REJECTED: "cancelled_at",
}

# Which counter on the event each status feeds.
_COUNTERS = {
    "seats_taken": set(Registration.HOLDING_SEAT),
    "waitlisted_count": {S.WAITLISTED},
    "pending_count": {S.PENDING},
    "checked_in_count": {S.CHECKED_IN},
}

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def normalise_mobile(mobile: str) -> str:
    return "".join(ch for ch in mobile if ch.isdigit())


def mobile_hash(mobile: str) -> str:
    return lookup_hash(normalise_mobile(mobile), purpose=MOBILE_PURPOSE)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _count(event: Event, from_status: str | None, to_status: str) -> list[str]:
    changed = []
    for counter, statuses in _COUNTERS.items():
        delta = (to_status in statuses) - (from_status in statuses)
        if delta:
            setattr(event, counter, getattr(event, counter) + delta)
            changed.append(counter)
    return changed


def _move(registration: Registration, event: Event, to_status: str, *, actor=None, request=None, detail="") -> None:
    """Apply one allowed move and change the event's counters with it; the caller holds the event row."""
    from_status = registration.status
    stamp = _STAMPS.get(to_status)
    if stamp:
        setattr(registration, stamp, timezone.now())
    REGISTRATIONS.move(registration, to_status, actor=actor, request=request, detail=detail,
                       fields=[stamp] if stamp else [], subject=_("这条报名"))
    changed = _count(event, from_status, to_status)
    if changed:
        event.save(update_fields=changed)


def _notify(registration: Registration) -> None:
    # Every sign-up has a mobile (SMS); the e-mail and the inbox when there is one.
    queue.enqueue("events.tasks.send_registration_notice", registration.pk)


def _guardian_fields(event: Event, under_14, guardian) -> dict:
    """At an event for young people the age question is answered, and a child under 14 comes
    with a guardian's name, mobile and statement (个人信息保护法 art. 31); else nothing."""
    if not event.for_youth:
        return {}
    if under_14 is None:
        raise GuardianRequired()
    if not under_14:
        return {}
    if not guardian or not guardian.get("name") or not guardian.get("mobile"):
        raise GuardianRequired(_("未满14周岁的，须由监护人填写姓名、手机号码并同意《监护人同意声明》。"), field="guardian_name")
    from volunteers.consents import GUARDIAN_STATEMENT_VERSION

    return {"guardian_name": guardian["name"].strip(), "guardian_mobile": normalise_mobile(guardian["mobile"]),
            "guardian_statement_version": GUARDIAN_STATEMENT_VERSION}


def register(*, event_id: int, name: str, mobile: str, email: str = "", organization: str = "", now=None,
             user=None, under_14: bool | None = None, guardian: dict | None = None) -> Registration:
    """Sign one person up. Raises SignupClosed, DuplicateRegistration, EventFull, Busy or,
    at an event for young people, GuardianRequired (``guardian``: name and mobile, given
    with the statement ticked)."""
    mobile = normalise_mobile(mobile)
    digest = mobile_hash(mobile)
    try:
        with transaction.atomic():
            event = lock_event(event_id)
            # One active place per mobile is the database's own rule
            # (registration_one_active_place_per_mobile): a second sign-up fails at the
            # INSERT below, which saves a query on every sign-up of a rush.
            reason = event.signup_closed_reason(now)
            if reason:
                raise SignupClosed(reason)
            guardian_fields = _guardian_fields(event, under_14, guardian)
            if event.needs_approval:
                status = S.PENDING
            elif not event.is_full:
                status = S.CONFIRMED
            elif event.waiting_list:
                status = S.WAITLISTED
            else:
                raise EventFull()
            registration = Registration.objects.create(
                event=event, name=name.strip(), mobile=mobile, mobile_hash=digest, email=email.strip(),
                organization=organization.strip(), user=user if user is not None and user.is_authenticated else None,
                status=status, token=new_token(),
                check_in_code=new_check_in_code(), confirmed_at=timezone.now() if status == S.CONFIRMED else None,
                **guardian_fields,
            )
            event.save(update_fields=_count(event, None, status))
            _notify(registration)
    except OperationalError as exc:
        # lock_timeout reached under a rush: nothing was written, the person tries again.
        raise Busy() from exc
    except IntegrityError as exc:
        # The database's own guards: the same mobile already holds an active place, or
        # (very rarely) a check-in code clashed; nothing was written either way.
        if "registration_one_active_place_per_mobile" in str(exc):
            raise DuplicateRegistration() from exc
        raise Busy() from exc
    return registration


def promote_waiting_list(event: Event, *, actor=None, request=None) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served; caller holds the event."""
    if event.status != Event.Status.PUBLISHED or not event.waitlisted_count:
        return []
    free = None if event.capacity is None else event.capacity - event.seats_taken
    if free is not None and free <= 0:
        return []
    queue = event.registrations.filter(status=S.WAITLISTED).select_for_update().order_by("id")
    promoted = list(queue if free is None else queue[:free])
    for registration in promoted:
        _move(registration, event, S.CONFIRMED, actor=actor, request=request, detail=_("候补转正"))
        _notify(registration)
    return promoted


def _locked_registration(registration_id: int) -> tuple[Event, Registration]:
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    event = lock_event(event_id)
    return event, Registration.objects.select_for_update().get(pk=registration_id)


@transaction.atomic
def cancel(*, registration_id: int, actor=None, request=None, reason: str = "") -> Registration:
    """The attendee (through their private link) or staff cancel one sign-up."""
    event, registration = _locked_registration(registration_id)
    if registration.status == S.CHECKED_IN:
        raise TransitionNotAllowed(_("已签到的报名不能取消。"))
    if registration.status in (S.CANCELLED, S.REJECTED):
        raise TransitionNotAllowed(_("这条报名已经取消。"))
    _move(registration, event, S.CANCELLED, actor=actor, request=request, detail=reason)
    promote_waiting_list(event, actor=actor, request=request)
    return registration


@transaction.atomic
def approve(*, registration_id: int, actor, request=None) -> Registration:
    """Staff accept a pending sign-up: a seat if one is free, else the waiting list."""
    event, registration = _locked_registration(registration_id)
    if registration.status != S.PENDING:
        raise TransitionNotAllowed(_("只有“待审核”的报名可以审核通过。"))
    if not event.is_full:
        to_status = S.CONFIRMED
    elif event.waiting_list:
        to_status = S.WAITLISTED
    else:
        raise EventFull(_("名额已满且不接受候补，无法通过。"))
    _move(registration, event, to_status, actor=actor, request=request, detail=_("审核通过"))
    _notify(registration)
    return registration


@transaction.atomic
def reject(*, registration_id: int, actor, request=None) -> Registration:
    event, registration = _locked_registration(registration_id)
    if registration.status != S.PENDING:
        raise TransitionNotAllowed(_("只有“待审核”的报名可以审核不通过。"))
    _move(registration, event, S.REJECTED, actor=actor, request=request, detail=_("审核不通过"))
    _notify(registration)
    return registration


@transaction.atomic
def check_in(*, event_id: int, code: str, actor, request=None) -> Registration:
    """Staff check one person in by the code on their confirmation page."""
    event = lock_event(event_id)
    if event.status not in (Event.Status.PUBLISHED, Event.Status.FINISHED):
        raise TransitionNotAllowed(_("活动未发布或已取消，不能签到。"))
    code = normalise_code(code)
    registration = (
        Registration.objects.select_for_update().filter(event=event, check_in_code=code).first() if code else None
    )
    if registration is None:
        raise UnknownCode()
    if registration.status == S.CHECKED_IN:
        local = timezone.localtime(registration.checked_in_at)
        raise AlreadyCheckedIn(
            _("%(name)s 已于 %(time)s 签到，请勿重复签到。") % {"name": registration.masked_name, "time": f"{local:%H:%M}"}
        )
    if registration.status != S.CONFIRMED:
        raise TransitionNotAllowed(
            _("%(name)s 的报名状态为“%(status)s”，不能签到。")
            % {"name": registration.masked_name, "status": registration.get_status_display()}
        )
    _move(registration, event, S.CHECKED_IN, actor=actor, request=request, detail=_("现场签到"))
    return registration


@transaction.atomic
def recount(*, event_id: int) -> Event:
    """Rebuild an event's counters from its sign-ups (after bulk loads or repairs)."""
    from django.db.models import Count, Q

    event = lock_event(event_id)
    figures = event.registrations.aggregate(
        seats_taken=Count("id", filter=Q(status__in=Registration.HOLDING_SEAT)),
        waitlisted_count=Count("id", filter=Q(status=S.WAITLISTED)),
        pending_count=Count("id", filter=Q(status=S.PENDING)),
        checked_in_count=Count("id", filter=Q(status=S.CHECKED_IN)),
    )
    for key, value in figures.items():
        setattr(event, key, value)
    event.save(update_fields=list(figures))
    return event
