"""The notices of the returns (``association.notices``): a return submitted (to the level
above, which reviews it), returned with the reason and accepted (to the filing unit's
accounts). Written in the move's own transaction (``tell``); the links come in the context
(``review_link``, ``fill_link``), so staff's wording needs no template tags."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from association import extensions, roles, scoping
from association.models import Organization, UnitMembership
from association.notices import Recipient, notify_many

from .models import StatisticsReturn

logger = logging.getLogger(__name__)
Status = StatisticsReturn.Status

NAME = "{{ statistics_return.organization.name }}{{ statistics_return.year }}年综合统计年报"
FILL_LINK = "{{ fill_link }}"
REVIEW_LINK = "{{ review_link }}"
SIGN_OFF = "\n\n此邮件由{{ site.name }}自动发送，请勿回复。"

SUBMITTED = extensions.notice_kind(
    "returns.submitted", label="统计年报已报送，待审核",
    subject="【综合统计年报】" + NAME + "已报送，待审核",
    body="您好：\n\n" + NAME + "已报送，请审核（审核通过或退回并写明原因）。\n\n登录后打开：" + REVIEW_LINK + SIGN_OFF,
)
RETURNED = extensions.notice_kind(
    "returns.returned", label="统计年报被退回", essential=True,
    subject="【综合统计年报】" + NAME + "已被退回",
    body="您好：\n\n" + NAME + "已被上级退回，请修改后重新报送。\n退回原因：{{ statistics_return.returned_reason }}\n\n"
         "登录后打开：" + FILL_LINK + SIGN_OFF,
)
ACCEPTED = extensions.notice_kind(
    "returns.accepted", label="统计年报审核通过",
    subject="【综合统计年报】" + NAME + "已审核通过",
    body="您好：\n\n" + NAME + "已审核通过，已计入上级汇总，不能再修改。\n\n查看：" + FILL_LINK + SIGN_OFF,
)


def unit_accounts(unit_id: int) -> list:
    return list(get_user_model().objects.filter(
        pk__in=UnitMembership.objects.filter(organization_id=unit_id).values("user_id"), is_active=True).order_by("pk"))


def reviewers(unit_id: int) -> list:
    """Who reviews the unit's return: the accounts of the nearest filing unit above it, or
    the city office (办公室) for a unit directly under the city association."""
    from .services import FILING_KINDS

    kinds = dict(Organization.objects.filter(pk__in=scoping.ancestor_ids(unit_id)).values_list("pk", "kind"))
    for ancestor in scoping.ancestor_ids(unit_id):
        if kinds.get(ancestor) in FILING_KINDS and kinds.get(ancestor) != Organization.Kind.ASSOCIATION:
            return unit_accounts(ancestor)
    return list(get_user_model().objects.filter(groups__name=roles.OFFICE, is_active=True).distinct().order_by("pk"))


KINDS = {Status.SUBMITTED: SUBMITTED, Status.RETURNED: RETURNED, Status.ACCEPTED: ACCEPTED}


def tell(statistics_return: StatisticsReturn) -> bool:
    """Tell of the move the return has just made: submitted → the level above; returned or
    accepted → the unit's accounts. Once per move, however often it is called: a return may
    be submitted and returned more than once, each submission with its own time (the return
    or acceptance that meets it carries the same)."""
    kind = KINDS.get(statistics_return.status)
    if kind is None:
        return False
    unit_id = statistics_return.organization_id
    accounts = reviewers(unit_id) if statistics_return.status == Status.SUBMITTED else unit_accounts(unit_id)
    if not accounts:
        return False
    site = settings.SITE_URL.rstrip("/")
    context = {"statistics_return": statistics_return,
               "fill_link": site + reverse("returns:fill", args=[statistics_return.year]),
               "review_link": site + reverse("returns:review", args=[statistics_return.pk])}
    moment = f"{statistics_return.submitted_at:%Y%m%d%H%M%S%f}" if statistics_return.submitted_at else ""
    notify_many(kind.key, [Recipient(user=user) for user in accounts], context=context,
                key=f"return:{statistics_return.pk}:{statistics_return.status}:{moment}")
    logger.info("return %s: %s notice written for %d accounts", statistics_return.pk, statistics_return.status,
                len(accounts))
    return True
