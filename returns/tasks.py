"""Celery tasks of the returns: ids in, safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError
from django.urls import reverse

from association.models import Organization, UnitMembership

from .models import StatisticsReturn

logger = logging.getLogger(__name__)


def _unit_emails(unit_id: int) -> list[str]:
    return list(UnitMembership.objects.filter(organization_id=unit_id, user__is_active=True)
                .exclude(user__email="").values_list("user__email", flat=True))


def _reviewer_emails(unit_id: int) -> list[str]:
    """Who reviews the unit's return: the accounts of the nearest filing unit above it, or
    the city office (办公室) for a unit directly under the city association."""
    from django.contrib.auth import get_user_model

    from association import roles, scoping

    from .services import FILING_KINDS

    kinds = dict(Organization.objects.filter(pk__in=scoping.ancestor_ids(unit_id)).values_list("pk", "kind"))
    for ancestor in scoping.ancestor_ids(unit_id):
        if kinds.get(ancestor) in FILING_KINDS and kinds.get(ancestor) != Organization.Kind.ASSOCIATION:
            return _unit_emails(ancestor)
    return list(get_user_model().objects.filter(groups__name=roles.OFFICE, is_active=True)
                .exclude(email="").values_list("email", flat=True))
PASSING_FAULTS = (DatabaseError, ConnectionError, TimeoutError, OSError)
Status = StatisticsReturn.Status


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, retry_backoff_max=300, max_retries=5,
             soft_time_limit=30, time_limit=60, label="统计年报：发送退回或审核通过通知")
def send_status_notice(return_id: int, status: str) -> str:
    """Tell the unit's accounts that the level above returned (with the reason) or accepted
    its return, or the level above that a return waits for its review; nothing if the return
    has moved on since."""
    statistics_return = StatisticsReturn.objects.select_related("organization").filter(pk=return_id).first()
    if statistics_return is None or statistics_return.status != status or status not in (
        Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED,
    ):
        return "skipped"
    unit_id = statistics_return.organization_id
    reviewers = status == Status.SUBMITTED
    emails = sorted(set(_reviewer_emails(unit_id) if reviewers else _unit_emails(unit_id)))
    if not emails:
        return "skipped"
    name = f"{statistics_return.organization.name}{statistics_return.year}年综合统计年报"
    link = settings.SITE_URL.rstrip("/") + reverse("returns:fill", args=[statistics_return.year])
    if reviewers:
        review = settings.SITE_URL.rstrip("/") + reverse("returns:review", args=[statistics_return.pk])
        subject = f"【综合统计年报】{name}已报送，待审核"
        body = f"您好：\n\n{name}已报送，请审核（审核通过或退回并写明原因）。\n\n登录后打开：{review}\n"
    elif status == Status.RETURNED:
        subject = f"【综合统计年报】{name}已被退回"
        body = (f"您好：\n\n{name}已被上级退回，请修改后重新报送。\n退回原因：{statistics_return.returned_reason}\n\n"
                f"登录后打开：{link}\n")
    else:
        subject = f"【综合统计年报】{name}已审核通过"
        body = f"您好：\n\n{name}已审核通过，已计入上级汇总，不能再修改。\n\n查看：{link}\n"
    send_mail(subject, body, None, emails)
    logger.info("return %s: %s notice sent to %d accounts", return_id, status, len(emails))
    return "sent"
