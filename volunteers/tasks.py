"""Celery tasks of the volunteers app: ids in, a service does the work, safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.urls import reverse

from .models import HoursCertificate, ServiceOrder, Volunteer
from .services import certificates

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
        name, email = (owner.get_full_name() or owner.get_username(), owner.email) if owner else ("", "")
    if not email:
        return "skipped"
    key = f"volunteers:registration-attempt:{'v' if volunteer_id is not None else 'u'}{volunteer_id or user_id}"
    if cache.get(key):
        return "skipped"
    send_mail(
        "【科技志愿服务】有人使用您的信息提交了志愿者注册",
        f"{name}，您好：\n\n"
        "刚刚有人在科协门户的科技志愿者注册页面，使用与您已登记的身份证号、手机号码或电子邮箱相同的信息提交了注册。"
        "由于这些信息已经登记，这次注册没有被受理，您的信息没有任何改变。\n\n"
        f"如果是您本人：您无需再次注册，请用电子邮箱和密码登录 {settings.SITE_URL}{reverse('login')} ；"
        f"忘记密码可以在 {settings.SITE_URL}{reverse('password_reset')} 重新设置。\n"
        "如果不是您本人：请不必理会本邮件；如有疑问，请联系市科协科学技术普及部。\n",
        None,
        [email],
    )
    cache.set(key, 1, ATTEMPT_NOTICE_INTERVAL)
    logger.info("registration attempt notice sent (%s)", key.rsplit(":", 1)[1])
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
    try:
        certificate = certificates.build(certificate_id)
    except HoursCertificate.DoesNotExist:
        return "missing"
    except PASSING_FAULTS:
        if self.request.retries >= self.max_retries:
            certificates.mark_failed(certificate_id, "生成失败，请稍后重新申请。")
        raise
    return certificate.status
