"""Celery tasks of the events app: e-mails to attendees, roster workbooks, the nightly close.

Each takes ids, calls a service or sends one message, and is safe to run twice: the
registration remembers which status it last told its owner about.
"""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError, transaction
from django.template.loader import render_to_string

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

NOTICE_SUBJECTS = {
    Registration.Status.CONFIRMED: "报名成功",
    Registration.Status.WAITLISTED: "已进入候补名单",
    Registration.Status.PENDING: "报名已提交，等待审核",
    Registration.Status.REJECTED: "报名未通过审核",
}


def _send(registration: Registration, subject: str, template: str, **context) -> None:
    context = {"registration": registration, "event": registration.event, "site_url": settings.SITE_URL, **context}
    body = render_to_string(template, context)
    send_mail(f"【{subject}】{registration.event.title}", body, None, [registration.email])


@shared_task(time_limit=60, soft_time_limit=50, **RETRY, label="活动：发送报名状态邮件")
def send_registration_notice(registration_id: int) -> str:
    """Tell the attendee their current status (confirmed, waiting, pending, promoted, rejected)."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("event").filter(pk=registration_id).first()
        )
        if registration is None or not registration.email:
            return "skipped"
        status = registration.status
        if status not in NOTICE_SUBJECTS or registration.notified_status == status:
            return "skipped"
        promoted = status == Registration.Status.CONFIRMED and registration.notified_status in (
            Registration.Status.WAITLISTED, Registration.Status.PENDING)
        subject = "候补转为正式报名" if registration.notified_status == Registration.Status.WAITLISTED else NOTICE_SUBJECTS[status]
        _send(registration, subject, "events/email/registration_notice.txt", promoted=promoted)
        registration.notified_status = status
        registration.save(update_fields=["notified_status"])
    return "sent"


@shared_task(time_limit=600, soft_time_limit=570, **RETRY, label="活动：通知报名者活动取消")
def send_event_cancelled_notices(event_id: int) -> int:
    """E-mail everyone still signed up to a cancelled event; those already told are skipped."""
    event = Event.objects.get(pk=event_id)
    if event.status != Event.Status.CANCELLED:
        return 0
    sent = 0
    pending = event.registrations.active().exclude(email="").exclude(notified_status="event_cancelled")
    for registration_id in pending.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            registration = Registration.objects.select_for_update().get(pk=registration_id)
            if registration.notified_status == "event_cancelled":
                continue
            registration.event = event
            _send(registration, "活动取消通知", "events/email/event_cancelled.txt")
            registration.notified_status = "event_cancelled"
            registration.save(update_fields=["notified_status"])
            sent += 1
    return sent


@shared_task(time_limit=900, soft_time_limit=840, **RETRY, label="活动：导出报名名单")
def build_roster_export(export_id: int) -> str:
    export = exports.build_roster(export_id=export_id)
    return export.status


@shared_task(time_limit=600, soft_time_limit=570, ignore_result=True, label="活动：将已结束的活动标记为结束")  # nightly
def finish_past_events() -> int:
    return event_services.finish_past_events()
