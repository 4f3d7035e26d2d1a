"""Celery tasks of the volunteers app: ids in, a service does the work, safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.urls import reverse

from .models import HoursCertificate, ServiceOrder, Volunteer

logger = logging.getLogger(__name__)
PASSING_FAULTS = (DatabaseError, ConnectionError, TimeoutError, OSError)


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, retry_backoff_max=300, max_retries=5,
             soft_time_limit=30, time_limit=60, label="志愿服务：发送审核结果邮件")
def send_review_notice(volunteer_id: int) -> str:
    """Tell a volunteer the result of the review, once per status."""
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().filter(pk=volunteer_id).first()
        if volunteer is None or not volunteer.email or volunteer.notified_status == volunteer.status:
            return "skipped"
        if volunteer.status == Volunteer.Status.APPROVED:
            subject = "【科技志愿服务】您的志愿者注册已审核通过"
            body = (f"{volunteer.name}，您好：\n\n您在科协门户提交的科技志愿者实名注册已审核通过。"
                    f"登录后可在“我的”页面查看所在服务队、服务记录，并申请志愿服务记录证明：\n"
                    f"{settings.SITE_URL}/accounts/me/\n\n感谢您投身科技志愿服务！")
        elif volunteer.status == Volunteer.Status.REJECTED:
            subject = "【科技志愿服务】您的志愿者注册未通过审核"
            body = (f"{volunteer.name}，您好：\n\n很抱歉，您提交的科技志愿者实名注册未通过审核。\n"
                    f"原因：{volunteer.rejection_reason}\n\n如有疑问，请联系市科协科学技术普及部。")
        else:
            return "skipped"
        send_mail(subject, body, None, [volunteer.email])
        volunteer.notified_status = volunteer.status
        volunteer.save(update_fields=["notified_status"])
    logger.info("review notice sent to volunteer %s (%s)", volunteer_id, volunteer.status)
    return "sent"


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, max_retries=5, soft_time_limit=30, time_limit=60,
             label="志愿服务：发送点单查询链接")
def send_order_link(order_id: int) -> str:
    order = ServiceOrder.objects.select_related("project").filter(pk=order_id).first()
    if order is None or not order.email:
        return "skipped"
    link = settings.SITE_URL + reverse("volunteers:order_status", args=[order.token])
    send_mail(
        f"【科技志愿服务】点单已收到：{order.project.title}",
        f"{order.contact_name}，您好：\n\n我们已收到贵单位的点单“{order.project.title}”。"
        f"请保存下面的链接，用它查看派单、接单进度，并在服务完成后评价：\n{link}\n",
        None,
        [order.email],
    )
    return "sent"


@shared_task(bind=True, autoretry_for=PASSING_FAULTS, retry_backoff=True, max_retries=3,
             soft_time_limit=90, time_limit=120, label="志愿服务：生成服务时长证明")
def build_hours_certificate(self, certificate_id: int) -> str:
    from .services import certificates

    try:
        certificate = certificates.build(certificate_id)
    except HoursCertificate.DoesNotExist:
        return "missing"
    except PASSING_FAULTS:
        if self.request.retries >= self.max_retries:
            certificates.mark_failed(certificate_id, "生成失败，请稍后重新申请。")
        raise
    return certificate.status
