"""Celery tasks of the returns: ids in, safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError
from django.urls import reverse

from association.models import UnitMembership

from .models import StatisticsReturn

logger = logging.getLogger(__name__)
PASSING_FAULTS = (DatabaseError, ConnectionError, TimeoutError, OSError)
Status = StatisticsReturn.Status


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, retry_backoff_max=300, max_retries=5,
             soft_time_limit=30, time_limit=60, label="统计年报：发送退回或审核通过通知")
def send_status_notice(return_id: int, status: str) -> str:
    """Tell the unit's accounts that the level above returned (with the reason) or accepted
    its return; nothing if the return has moved on since."""
    statistics_return = StatisticsReturn.objects.select_related("organization").filter(pk=return_id).first()
    if statistics_return is None or statistics_return.status != status or status not in (Status.RETURNED,
                                                                                          Status.ACCEPTED):
        return "skipped"
    emails = sorted(set(
        UnitMembership.objects.filter(organization_id=statistics_return.organization_id, user__is_active=True)
        .exclude(user__email="").values_list("user__email", flat=True)
    ))
    if not emails:
        return "skipped"
    name = f"{statistics_return.organization.name}{statistics_return.year}年综合统计年报"
    link = settings.SITE_URL.rstrip("/") + reverse("returns:fill", args=[statistics_return.year])
    if status == Status.RETURNED:
        subject = f"【综合统计年报】{name}已被退回"
        body = (f"您好：\n\n{name}已被上级退回，请修改后重新报送。\n退回原因：{statistics_return.returned_reason}\n\n"
                f"登录后打开：{link}\n")
    else:
        subject = f"【综合统计年报】{name}已审核通过"
        body = f"您好：\n\n{name}已审核通过，已计入上级汇总，不能再修改。\n\n查看：{link}\n"
    send_mail(subject, body, None, emails)
    logger.info("return %s: %s notice sent to %d accounts", return_id, status, len(emails))
    return "sent"
