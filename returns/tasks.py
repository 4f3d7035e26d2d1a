"""Celery tasks of the returns: ids in, safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse

from association.models import Organization, UnitMembership
from association.notices import Recipient, notify_many

from . import notices
from .models import StatisticsReturn

logger = logging.getLogger(__name__)


def _unit_accounts(unit_id: int) -> list:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(
        pk__in=UnitMembership.objects.filter(organization_id=unit_id).values("user_id"), is_active=True).order_by("pk"))


def _reviewers(unit_id: int) -> list:
    """Who reviews the unit's return: the accounts of the nearest filing unit above it, or
    the city office (办公室) for a unit directly under the city association."""
    from django.contrib.auth import get_user_model

    from association import roles, scoping

    from .services import FILING_KINDS

    kinds = dict(Organization.objects.filter(pk__in=scoping.ancestor_ids(unit_id)).values_list("pk", "kind"))
    for ancestor in scoping.ancestor_ids(unit_id):
        if kinds.get(ancestor) in FILING_KINDS and kinds.get(ancestor) != Organization.Kind.ASSOCIATION:
            return _unit_accounts(ancestor)
    return list(get_user_model().objects.filter(groups__name=roles.OFFICE, is_active=True).distinct().order_by("pk"))


PASSING_FAULTS = (DatabaseError, ConnectionError, TimeoutError, OSError)
Status = StatisticsReturn.Status


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, retry_backoff_max=300, max_retries=5,
             soft_time_limit=30, time_limit=60, label="统计年报：通知报送、退回或审核通过")
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
    accounts = _reviewers(unit_id) if status == Status.SUBMITTED else _unit_accounts(unit_id)
    if not accounts:
        return "skipped"
    kind = {Status.SUBMITTED: notices.SUBMITTED, Status.RETURNED: notices.RETURNED, Status.ACCEPTED: notices.ACCEPTED}[status]
    # One notice per move: a return may be submitted and returned more than once, each
    # submission with its own time (the return it meets carries the same).
    moment = f"{statistics_return.submitted_at:%Y%m%d%H%M%S%f}" if statistics_return.submitted_at else ""
    site = settings.SITE_URL.rstrip("/")
    context = {"statistics_return": statistics_return,
               "fill_link": site + reverse("returns:fill", args=[statistics_return.year]),
               "review_link": site + reverse("returns:review", args=[statistics_return.pk])}
    notify_many(kind.key, [Recipient(user=user) for user in accounts], context=context,
                key=f"return:{statistics_return.pk}:{status}:{moment}")
    logger.info("return %s: %s notice written for %d accounts", return_id, status, len(accounts))
    return "sent"
