"""Celery tasks of the volunteers app: ids in, a service does the work, safe to run twice.
Notices go through ``association.notices`` (e-mail, SMS, inbox), each written once by its key."""

import logging
import time

from celery import shared_task
from django.db import DatabaseError, transaction

from association.models import person_name
from association.notices import notify

from . import notices
from .models import HoursCertificate, ServiceOrder, Volunteer
from .services import certificates

logger = logging.getLogger(__name__)
PASSING_FAULTS = (DatabaseError, ConnectionError, TimeoutError, OSError)


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, retry_backoff_max=300, max_retries=5,
             soft_time_limit=30, time_limit=60, label="志愿服务：通知审核结果")
def send_review_notice(volunteer_id: int) -> str:
    """Tell a volunteer the result of the review (e-mail, SMS, inbox), once per status."""
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("user").filter(pk=volunteer_id).first()
        if volunteer is None or volunteer.notified_status == volunteer.status:
            return "skipped"
        kind = {Volunteer.Status.APPROVED: notices.APPROVED, Volunteer.Status.REJECTED: notices.REJECTED}.get(volunteer.status)
        if kind is None:
            return "skipped"
        notify(kind.key, user=volunteer.user, email=volunteer.email, mobile=volunteer.mobile,
               context={"volunteer": volunteer}, key=f"volunteer:{volunteer.pk}:{volunteer.status}")
        volunteer.notified_status = volunteer.status
        volunteer.save(update_fields=["notified_status"])
    logger.info("review notice sent to volunteer %s (%s)", volunteer_id, volunteer.status)
    return "sent"


# One notice per owner in this long, however often their data is tried.
ATTEMPT_NOTICE_INTERVAL = 3600


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, retry_backoff_max=300, max_retries=5,
             soft_time_limit=30, time_limit=60, label="志愿服务：提醒重复注册")
def send_registration_attempt_notice(volunteer_id: int | None = None, user_id: int | None = None) -> str:
    """Tell whoever registered first that their ID number, mobile or e-mail was used to
    register again (the page told the one registering nothing)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    if volunteer_id is not None:
        owner = Volunteer.objects.select_related("user").filter(pk=volunteer_id).first()
        name, email = (owner.name, owner.email or (owner.user.email if owner.user else "")) if owner else ("", "")
    else:
        owner = get_user_model().objects.filter(pk=user_id).first()
        name, email = (person_name(owner), owner.email) if owner else ("", "")
    if not email:
        return "skipped"
    key = f"volunteers:registration-attempt:{'v' if volunteer_id is not None else 'u'}{volunteer_id or user_id}"
    if cache.get(key):
        return "skipped"
    # E-mail only: the one trying may hold the mobile; the key keeps it to one notice an hour.
    bucket = int(time.time() // ATTEMPT_NOTICE_INTERVAL)
    notify(notices.ATTEMPT.key, email=email, context={"name": name}, key=f"{key.rsplit(':', 1)[1]}:{bucket}")
    cache.set(key, 1, ATTEMPT_NOTICE_INTERVAL)
    logger.info("registration attempt notice sent (%s)", key.rsplit(":", 1)[1])
    return "sent"


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, max_retries=5, soft_time_limit=30, time_limit=60,
             label="志愿服务：发送点单查询链接")
def send_order_link(order_id: int) -> str:
    """Tell the ordering unit its order arrived, with its private follow-up link."""
    order = ServiceOrder.objects.select_related("project").filter(pk=order_id).first()
    if order is None or not (order.email or order.contact_phone):
        return "skipped"
    notify(notices.ORDER_RECEIVED.key, email=order.email, mobile=order.contact_phone, context={"order": order},
           key=f"order:{order.pk}:received")
    return "sent"


@shared_task(bind=True, autoretry_for=PASSING_FAULTS, retry_backoff=True, max_retries=3,
             soft_time_limit=90, time_limit=120, label="志愿服务：生成服务时长证明")
def build_hours_certificate(self, certificate_id: int) -> str:
    try:
        certificate = certificates.build(certificate_id)
    except HoursCertificate.DoesNotExist:
        return "missing"
    except PASSING_FAULTS:
        if self.request.retries >= self.max_retries:
            certificates.mark_failed(certificate_id, "生成失败，请稍后重新申请。")
        raise
    return certificate.status
