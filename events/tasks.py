"""Celery tasks of the events app: notices to attendees (``association.notices``: e-mail,
SMS, the inbox), roster workbooks, the nightly close.

Each takes ids, calls a service or writes one notice, and is safe to run twice: the
registration remembers which status it last told its owner about, and each notice has a
key the notification service writes once.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from association.notices import Recipient, keys_written, notify, notify_many

from . import notices
from .models import Event, Registration
from .services import events as event_services
from .services import exports

logger = logging.getLogger("events")

PASSING_FAULTS = (SMTPException, ConnectionError, TimeoutError, OperationalError)
RETRY = {
    "autoretry_for": PASSING_FAULTS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}

NOTICE_KINDS = {
    Registration.Status.CONFIRMED: notices.CONFIRMED,
    Registration.Status.WAITLISTED: notices.WAITLISTED,
    Registration.Status.PENDING: notices.PENDING,
    Registration.Status.REJECTED: notices.REJECTED,
}
BULK = 2000  # registrations per transaction of the bulk notices


def _recipient(registration: Registration) -> Recipient:
    return Recipient(user=registration.user, email=registration.email, mobile=registration.mobile,
                     context={"registration": registration}, key=f"registration:{registration.pk}")


@shared_task(time_limit=60, soft_time_limit=50, **RETRY, label="活动：通知报名状态")
def send_registration_notice(registration_id: int) -> str:
    """Tell the attendee their current status (confirmed, waiting, pending, promoted, rejected)
    on each channel they have (``association.notices``), once per status."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("event", "user")
            .filter(pk=registration_id).first()
        )
        if registration is None:
            return "skipped"
        status = registration.status
        if status not in NOTICE_KINDS or registration.notified_status == status:
            return "skipped"
        promoted = status == Registration.Status.CONFIRMED and registration.notified_status in (
            Registration.Status.WAITLISTED, Registration.Status.PENDING)
        kind = notices.PROMOTED if registration.notified_status == Registration.Status.WAITLISTED else NOTICE_KINDS[status]
        notify(kind.key, user=registration.user, email=registration.email, mobile=registration.mobile,
               context={"registration": registration, "event": registration.event, "promoted": promoted},
               key=f"registration:{registration.pk}:{status}")
        registration.notified_status = status
        registration.save(update_fields=["notified_status"])
    return "sent"


@shared_task(time_limit=600, soft_time_limit=570, **RETRY, label="活动：通知报名者活动取消")
def send_event_cancelled_notices(event_id: int) -> int:
    """Tell everyone still signed up to a cancelled event, in bulk (the notices' rows written
    a few thousand at a time, sent in batches by ``association.send_deliveries``); those
    already told are skipped."""
    event = Event.objects.get(pk=event_id)
    if event.status != Event.Status.CANCELLED:
        return 0
    told = 0
    pending = (event.registrations.active().exclude(notified_status="event_cancelled")
               .select_related("user").order_by("pk"))
    last = 0
    while True:
        with transaction.atomic():
            batch = list(pending.filter(pk__gt=last).select_for_update(of=("self",), skip_locked=True)[:BULK])
            if not batch:
                return told
            last = batch[-1].pk
            notify_many(notices.CANCELLED.key, [_recipient(r) for r in batch], context={"event": event},
                        key=f"event:{event.pk}")
            Registration.objects.filter(pk__in=[r.pk for r in batch]).update(notified_status="event_cancelled")
            told += len(batch)


REMINDERS = ((notices.REMINDER_HOURS, timedelta(hours=2)), (notices.REMINDER_DAY, timedelta(days=1)))
# Someone who signed up (or was promoted) this shortly before has just been told everything.
JUST_CONFIRMED = timedelta(minutes=30)


@shared_task(time_limit=600, soft_time_limit=570, **RETRY, ignore_result=True, label="活动：活动前提醒报名者")
def send_event_reminders() -> int:
    """The day before an event and two hours before it, remind each confirmed attendee once
    (beat runs this every few minutes; a registration reminded is never reminded again of
    the same kind: the notices' key)."""
    now = timezone.now()
    told = 0
    for event in Event.objects.filter(status=Event.Status.PUBLISHED, start__gt=now, start__lte=now + timedelta(days=1)):
        kind = next(kind for kind, ahead in REMINDERS if event.start <= now + ahead)
        start = timezone.localtime(event.start)
        day = "今天" if start.date() == timezone.localdate() else "明天"
        when = f"{day} {start:%H:%M}"
        registrations = (event.registrations.filter(status=Registration.Status.CONFIRMED,
                                                    confirmed_at__lt=now - JUST_CONFIRMED)
                         .select_related("user").order_by("pk"))
        reminded = keys_written(kind.key, [f"registration:{pk}" for pk in registrations.values_list("pk", flat=True)])
        todo = [r for r in registrations if f"registration:{r.pk}" not in reminded]
        for start_at in range(0, len(todo), BULK):
            with transaction.atomic():
                notify_many(kind.key, [_recipient(r) for r in todo[start_at:start_at + BULK]],
                            context={"event": event, "when": when})
        told += len(todo)
    return told


@shared_task(time_limit=900, soft_time_limit=840, **RETRY, label="活动：导出报名名单")
def build_roster_export(export_id: int) -> str:
    export = exports.build_roster(export_id=export_id)
    return export.status


@shared_task(time_limit=600, soft_time_limit=570, ignore_result=True, label="活动：将已结束的活动标记为结束")  # nightly
def finish_past_events() -> int:
    return event_services.finish_past_events()
