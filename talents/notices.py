"""The notices of the awards (``association.notices``): a nomination received (to whoever
submitted it), the 公示 started (each nominee on the notice: their data was submitted and is
on public notice, for the period) and the result once announced (each nominee, awarded or
not, and whoever submitted the nomination).

Who is reached: the submitter by the account that submitted the nomination and the contact
telephone it carries when that is a mobile; a person nominated by the mobile or e-mail the
nomination gives for them (``nominee_contact``), their registry entry's contact and, when
the entry is linked to a volunteer, the volunteer's account, e-mail and mobile; a society
by its accounts. Nobody is reached at an address
the nomination does not give."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from association import extensions
from association.formatting import chinese_date
from association.models import UnitMembership
from association.notices import Recipient, notify_many

from .models import AwardRound, Nomination

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# Links and dates come in the context, so staff's wording needs no template tags.
ROUND_LINK = "{{ round_link }}"
PERIOD = "{{ period }}"
SIGN_OFF = "\n\n此邮件由{{ site.name }}自动发送，请勿回复。如有疑问，请联系市科协学会学术部。"


def _params(ctx) -> dict:
    return {"name": ctx["nomination"].nominee_name[:20], "round": str(ctx["round"])[:30]}


RECEIVED = extensions.notice_kind(
    "talents.nomination_received", label="推荐已受理",
    subject="【人才评选】推荐已受理：{{ nomination.nominee_name }}（{{ round }}）",
    body="{{ name }}，您好：\n\n我们已收到{{ nomination.nominating_unit }}推荐“{{ nomination.nominee_name }}”参评{{ round }}"
         "的推荐材料，受理编号 {{ nomination.reference_no }}。\n资格审查、评审和公示的结果将另行通知，评选进度见：\n"
         + ROUND_LINK + SIGN_OFF,
    sms="已收到您推荐“{{ nomination.nominee_name }}”参评{{ round }}的材料，受理编号 {{ nomination.reference_no }}。",
    sms_params=_params,
)
NOTICE_STARTED = extensions.notice_kind(
    "talents.notice_started", label="列入评选公示",
    subject="【人才评选】{{ nomination.nominee_name }}已列入{{ round }}拟表彰对象公示",
    body="{{ name }}，您好：\n\n{{ nomination.nominating_unit }}推荐{{ nomination.nominee_name }}参评{{ round }}，"
         "推荐材料（姓名、工作单位、职称、主要事迹等）已提交评审，{{ nomination.nominee_name }}已列入拟表彰对象名单，"
         "在{{ site.short_name }}网站公示。\n公示期：" + PERIOD + "。\n公示期间，任何单位和个人可对公示对象提出异议。公示页面：\n"
         + ROUND_LINK + SIGN_OFF,
    sms="{{ nomination.nominee_name }}已列入{{ round }}拟表彰对象名单，推荐材料已提交，公示期" + PERIOD + "。",
    sms_params=_params,
)
RESULT = extensions.notice_kind(
    "talents.result", label="评选结果", essential=True,
    subject="【人才评选】{{ round }}评选结果：{{ nomination.nominee_name }}"
            "{% if awarded %}获奖{% else %}未获奖{% endif %}",
    body="{{ name }}，您好：\n\n{{ round }}评选结果已于{{ announced }}公布。\n"
         "{% if awarded %}祝贺！{{ nomination.nominee_name }}获得{{ round.programme.name }}。"
         "{% else %}很遗憾，{{ nomination.nominee_name }}此次未获得{{ round.programme.name }}，感谢参与。{% endif %}\n"
         "获奖名单见：\n" + ROUND_LINK + SIGN_OFF,
    sms="{{ round }}评选结果已公布：{{ nomination.nominee_name }}"
        "{% if awarded %}获奖，祝贺！{% else %}此次未获奖，感谢参与。{% endif %}",
    sms_params=_params,
)


def _mobile(value: str) -> str:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits if MOBILE.match(digits) else ""


def _submitter(nomination: Nomination, key: str) -> list[Recipient]:
    """Whoever submitted the nomination: its account, and the contact telephone when a mobile."""
    user, mobile = nomination.submitted_by, _mobile(nomination.contact_phone)
    if user is None and not mobile:
        return []
    return [Recipient(user=user, mobile=mobile, key=key, context={"nomination": nomination, "name": nomination.contact_person})]


def _nominee(nomination: Nomination, key: str) -> list[Recipient]:
    """The nominee themselves, at the addresses the portal holds for them."""
    context = {"nomination": nomination, "name": nomination.nominee_name}
    if nomination.nominee_organization_id:
        accounts = get_user_model().objects.filter(
            is_active=True, pk__in=UnitMembership.objects.filter(organization_id=nomination.nominee_organization_id)
            .values("user_id")).order_by("pk")
        return [Recipient(user=user, key=key, context=context) for user in accounts]
    found = []
    talent = nomination.talent
    for contact in (nomination.nominee_contact, talent.contact if talent is not None else ""):
        contact = (contact or "").strip()
        if "@" in contact:
            found.append(Recipient(email=contact, key=key, context=context))
        elif _mobile(contact):
            found.append(Recipient(mobile=_mobile(contact), key=key, context=context))
    volunteer = getattr(talent, "volunteer", None) if talent is not None else None
    if volunteer is not None:
        found.append(Recipient(user=volunteer.user, email=volunteer.email, mobile=_mobile(volunteer.mobile), key=key,
                               context=context))
    return found


def _tell(kind, recipients: list[Recipient], award_round: AwardRound) -> None:
    if not recipients:
        return
    context = {
        "round": award_round,
        "round_link": settings.SITE_URL.rstrip("/") + reverse("talents:round", args=[award_round.pk]),
        "period": f"{chinese_date(award_round.notice_starts)}至{chinese_date(award_round.notice_ends)}" if (
            award_round.notice_starts and award_round.notice_ends) else "",
        "announced": chinese_date(award_round.announced_on) if award_round.announced_on else "",
    }
    notify_many(kind.key, recipients, context=context)


def nomination_received(nomination: Nomination) -> None:
    _tell(RECEIVED, _submitter(nomination, f"nomination:{nomination.pk}:received"), nomination.round)


def notice_started(award_round: AwardRound, nominations) -> None:
    """Each nominee on the round's 公示 (the round with its period set)."""
    recipients = [r for n in _with_people(nominations) for r in _nominee(n, f"nomination:{n.pk}:notice")]
    _tell(NOTICE_STARTED, recipients, award_round)


def results_announced(award_round: AwardRound) -> None:
    """Each nomination of an announced round, awarded or not: its nominee and its submitter."""
    decided = award_round.nominations.filter(status__in=[Nomination.Status.AWARDED, Nomination.Status.NOT_AWARDED])
    recipients = []
    for n in _with_people(decided):
        key = f"nomination:{n.pk}:result"
        for r in _nominee(n, key) + _submitter(n, key):
            r.context["awarded"] = n.status == Nomination.Status.AWARDED
            recipients.append(r)
    _tell(RESULT, recipients, award_round)


def _with_people(nominations) -> list[Nomination]:
    ids = [n.pk for n in nominations] if not hasattr(nominations, "values_list") else list(
        nominations.values_list("pk", flat=True))
    return list(Nomination.objects.filter(pk__in=ids).select_related(
        "nominating_unit", "submitted_by", "talent__volunteer__user").order_by("pk"))
