"""Every change in the life of an award round and its nominations.

One function per transition. Each takes ids, locks the rows it changes, moves them through
their state machine below (which checks the move, writes it and records it in the audit
log) and does the move's own work around it.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import audit, workdays
from association.formatting import chinese_date
from association.models import AuditEntry, Organization
from association.states import DomainError, StateMachine

from .. import notices
from ..models import (
    AwardRound,
    Nomination,
    NominationMaterial,
    NominationQuota,
    Objection,
    Review,
    Talent,
    person_name,
)
from ..validators import material_content_type, stored_material
from . import eligibility

REVIEWER_PERMISSION = "talents.review_nomination"

N = Nomination.Status
NOMINATION_STATES = StateMachine(N, {
    N.SUBMITTED: {N.ELIGIBLE, N.INELIGIBLE},
    N.ELIGIBLE: {N.IN_REVIEW, N.INELIGIBLE},
    N.IN_REVIEW: {N.SHORTLISTED, N.NOT_AWARDED},
    N.SHORTLISTED: {N.IN_REVIEW, N.PUBLICISED},
    N.PUBLICISED: {N.AWARDED, N.NOT_AWARDED},
    N.INELIGIBLE: set(),
    N.AWARDED: set(),
    N.NOT_AWARDED: set(),
})

R = AwardRound.Status
ROUND_STATES = StateMachine(R, {
    R.PREPARING: {R.NOMINATING},
    R.NOMINATING: {R.REVIEWING},
    R.REVIEWING: {R.PUBLICISING},
    R.PUBLICISING: {R.ANNOUNCED},
    R.ANNOUNCED: set(),
})

OBJECTION_STATES = StateMachine(Objection.Status, {
    Objection.Status.RECEIVED: {Objection.Status.UPHELD, Objection.Status.DISMISSED},
    Objection.Status.UPHELD: set(),
    Objection.Status.DISMISSED: set(),
})


class IneligibleNomination(DomainError):
    """The nominee breaks the award's rules; each problem names the form field it belongs to."""

    def __init__(self, problems: list[eligibility.Problem]):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


class QuotaExceeded(DomainError):
    """The nominating unit has no place left in the round (推荐名额); shown at the unit's field."""

    field = "nominating_unit"


def _locked_nomination(nomination_id: int) -> Nomination:
    return Nomination.objects.select_for_update().select_related("round__programme").get(pk=nomination_id)


def _locked_round(round_id: int) -> AwardRound:
    return AwardRound.objects.select_for_update().select_related("programme").get(pk=round_id)


# -- nominating -------------------------------------------------------------------------


def _find_talent(name: str, birth_date, employer: str) -> Talent | None:
    """The registry entry of a nominee, when exactly one matches; never guessed."""
    if not birth_date:
        return None
    matches = list(Talent.objects.filter(name=name, birth_year=birth_date.year, employer=employer)[:2])
    return matches[0] if len(matches) == 1 else None


NOMINATED_BY_UNITS = gettext_lazy("%(round)s按单位分配推荐名额，由各推荐单位登录门户后在“本单位推荐”中填报，不接受公开填报。")


def quota_standing(round_id: int, unit_id: int) -> dict | None:
    """The unit's 推荐名额 in the round and how many places its nominations hold (a read for
    the pages; the service counts again under its lock). None: the round sets no quotas."""
    quotas = NominationQuota.objects.filter(round_id=round_id)
    if not quotas.exists():
        return None
    quota = quotas.filter(unit_id=unit_id).values_list("quota", flat=True).first() or 0
    used = Nomination.objects.filter(round_id=round_id, nominating_unit_id=unit_id).holding_places().count()
    return {"quota": quota, "used": used, "left": max(0, quota - used)}


def _take_place(award_round: AwardRound, unit: Organization, *, public: bool) -> None:
    """Refuse a nomination beyond the unit's 推荐名额 (see ``NominationQuota``).

    Called with the round's row locked, which already puts the nominations of a round one
    after the other; the unit's quota row is locked as well, so that staff changing the
    number wait for the count in progress (and the reverse). Two submissions racing for a
    unit's last place: the second counts after the first has committed, and is refused.
    """
    row = NominationQuota.objects.select_for_update().filter(round=award_round, unit=unit).first()
    if row is None and not NominationQuota.objects.filter(round=award_round).exists():
        return  # a round without quotas: no limit
    if public:
        # A round that allots places by unit takes nominations from the units' accounts
        # (and the city's staff entering paper ones): a stranger choosing a unit on the
        # public form could otherwise use up its places.
        raise DomainError(NOMINATED_BY_UNITS % {"round": award_round})
    if row is None or row.quota == 0:
        raise QuotaExceeded(
            _("%(round)s按单位分配推荐名额，%(unit)s没有分配到名额，不能推荐。如需推荐，请与市科协学会学术部联系。")
            % {"round": award_round, "unit": unit}
        )
    used = award_round.nominations.filter(nominating_unit=unit).holding_places().count()
    if used >= row.quota:
        raise QuotaExceeded(
            _("%(unit)s在%(round)s的推荐名额为 %(quota)s 名，已推荐 %(used)s 名，名额已用完，不能再推荐。"
              "资格审查不符的推荐会退回名额；如需增加名额，请与市科协学会学术部联系。")
            % {"unit": unit, "round": award_round, "quota": row.quota, "used": used}
        )


@transaction.atomic
def submit_nomination(
    *,
    round_id: int,
    nominating_unit_id: int,
    summary: str,
    contact_person: str,
    contact_phone: str,
    recommendation,
    attachments=(),
    nominee_name: str = "",
    nominee_organization_id: int | None = None,
    nominee_gender: str = "",
    nominee_birth_date: datetime.date | None = None,
    nominee_title: str = "",
    nominee_title_level: int | None = None,
    nominee_employer: str = "",
    nominee_field_id: int | None = None,
    achievement_title: str = "",
    nominee_contact: str = "",
    actor=None,
    request=None,
    today: datetime.date | None = None,
    public: bool = False,
) -> Nomination:
    """A unit nominates someone (or a society). Refused when the window is shut, the unit has no
    place left (``QuotaExceeded``) or a rule is broken (``IneligibleNomination``); from the
    public form (``public``), refused for a round that allots places by unit."""
    award_round = _locked_round(round_id)
    if not award_round.accepts_nominations(today):
        raise DomainError(
            _("%(round)s的推荐时间为%(opens)s至%(closes)s，当前不接受推荐。")
            % {"round": award_round, "opens": chinese_date(award_round.nomination_opens),
               "closes": chinese_date(award_round.nomination_closes)}
        )
    nominating_unit = Organization.objects.get(pk=nominating_unit_id)
    _take_place(award_round, nominating_unit, public=public)
    if award_round.programme.is_for_organizations:
        if nominee_organization_id is None:
            raise IneligibleNomination([eligibility.Problem("nominee_organization", _("请选择被推荐的科技社团。"))])
        nominee_name = Organization.objects.values_list("name", flat=True).get(pk=nominee_organization_id)
        talent = None
    else:
        nominee_organization_id = None
        if not nominee_name.strip():
            raise IneligibleNomination([eligibility.Problem("nominee_name", _("请填写被推荐人姓名。"))])
        talent = _find_talent(nominee_name, nominee_birth_date, nominee_employer)
    candidate = eligibility.Candidate(
        name=nominee_name,
        birth_date=nominee_birth_date,
        title_level=nominee_title_level,
        talent_id=talent.pk if talent else None,
        organization_id=nominee_organization_id,
    )
    found = eligibility.problems(award_round, candidate)
    if found:
        raise IneligibleNomination(found)
    nomination = Nomination.objects.create(
        round=award_round,
        nominating_unit=nominating_unit,
        talent=talent,
        nominee_organization_id=nominee_organization_id,
        nominee_name=nominee_name,
        nominee_gender=nominee_gender,
        nominee_birth_date=nominee_birth_date,
        nominee_title=nominee_title,
        nominee_title_level=nominee_title_level,
        nominee_employer=nominee_employer,
        nominee_field_id=nominee_field_id,
        achievement_title=achievement_title,
        nominee_contact="" if award_round.programme.is_for_organizations else nominee_contact.strip(),
        summary=summary,
        contact_person=contact_person,
        contact_phone=contact_phone,
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
    )
    files = [(NominationMaterial.Kind.RECOMMENDATION, recommendation)] + [
        (NominationMaterial.Kind.SUPPORTING, f) for f in attachments
    ]
    for kind, upload in files:
        content_type = material_content_type(upload)
        stored = stored_material(upload, content_type)
        NominationMaterial.objects.create(
            nomination=nomination,
            kind=kind,
            file=stored,
            original_name=upload.name[:200],
            content_type=content_type,
            size=stored.size,
        )
    audit.record(
        AuditEntry.Action.CREATE, actor=actor, obj=nomination, to_state=nomination.status,
        detail=_("推荐单位：%(unit)s") % {"unit": nominating_unit}, request=request,
    )
    notices.nomination_received(nomination)
    return nomination


@transaction.atomic
def check_eligibility(*, nomination_id: int, actor=None, request=None) -> list[eligibility.Problem]:
    """Staff run the system's check: submitted → eligible, or → ineligible with the reason."""
    nomination = _locked_nomination(nomination_id)
    NOMINATION_STATES.check(nomination.status, N.ELIGIBLE)
    found = eligibility.problems(nomination.round, eligibility.Candidate.of(nomination), exclude_nomination_id=nomination.pk)
    if found:
        nomination.eligibility_note = "；".join(p.message for p in found)
        target, detail = N.INELIGIBLE, nomination.eligibility_note
    else:
        nomination.eligibility_note = _("经系统核验，符合推荐条件。")
        target, detail = N.ELIGIBLE, ""
    nomination.status_changed = timezone.now()
    NOMINATION_STATES.move(nomination, target, actor=actor, request=request, detail=detail,
                           fields=["status_changed", "eligibility_note"])
    return found


@transaction.atomic
def reject_as_ineligible(*, nomination_id: int, reason: str, actor=None, request=None) -> Nomination:
    """Staff find a fault the system cannot see (an unsigned form, missing proof)."""
    if not reason.strip():
        raise DomainError(_("请填写资格不符的理由。"))
    nomination = _locked_nomination(nomination_id)
    nomination.eligibility_note = reason.strip()
    nomination.status_changed = timezone.now()
    NOMINATION_STATES.move(nomination, N.INELIGIBLE, actor=actor, request=request, detail=nomination.eligibility_note,
                           fields=["status_changed", "eligibility_note"])
    return nomination


# -- reviewing --------------------------------------------------------------------------


def reviewers():
    """Users who may review: members of the 评审专家 group (or holders of the permission)."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__codename="review_nomination", groups__permissions__content_type__app_label="talents")
            | Q(user_permissions__codename="review_nomination", user_permissions__content_type__app_label="talents")
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def assign_reviewers(*, nomination_id: int, reviewer_ids, actor=None, request=None) -> int:
    """Give a checked nomination to reviewers; the first assignment opens its review."""
    nomination = _locked_nomination(nomination_id)
    if nomination.status not in (N.ELIGIBLE, N.IN_REVIEW):
        raise DomainError(
            _("“%(name)s”当前为“%(status)s”，只有资格审查通过或评审中的推荐可以分配评审专家。")
            % {"name": nomination.nominee_name, "status": nomination.get_status_display()}
        )
    added = 0
    for reviewer in get_user_model().objects.filter(pk__in=reviewer_ids).order_by("pk"):
        if not reviewer.has_perm(REVIEWER_PERMISSION):
            raise DomainError(_("%(user)s 不是评审专家，不能分配评审。") % {"user": person_name(reviewer)})
        _review, created = Review.objects.get_or_create(
            nomination=nomination, reviewer=reviewer, defaults={"assigned_by": actor if actor and actor.is_authenticated else None}
        )
        added += created
    if added:
        audit.record(
            AuditEntry.Action.CHANGE, actor=actor, obj=nomination, detail=_("分配评审专家 %(n)s 名") % {"n": added}, request=request
        )
    if nomination.status == N.ELIGIBLE and added:
        nomination.status_changed = timezone.now()
        NOMINATION_STATES.move(nomination, N.IN_REVIEW, actor=actor, request=request, fields=["status_changed"])
    return added


@transaction.atomic
def submit_score(*, review_id: int, actor, score: int, comment: str = "", request=None) -> Review:
    """A reviewer scores a nomination assigned to them, while it is in review and the shortlist not final."""
    review = Review.objects.select_for_update().select_related("nomination__round").get(pk=review_id)
    if review.reviewer_id != actor.pk:
        raise DomainError(_("这份推荐没有分配给您评审。"))
    if not review.nomination.review_open:
        raise DomainError(_("该推荐已结束评审，不能再修改评分。"))
    if not 0 <= int(score) <= 100:
        raise DomainError(_("评分须在 0 到 100 分之间。"))
    first_time = review.score is None
    review.score = int(score)
    review.comment = comment
    review.scored_at = timezone.now()
    review.save(update_fields=["score", "comment", "scored_at"])
    audit.record(
        AuditEntry.Action.CHANGE, actor=actor, obj=review.nomination,
        detail=_("评审专家提交评分") if first_time else _("评审专家修改评分"), request=request,
    )
    return review


# -- shortlist, 公示, announcement --------------------------------------------------------


def _places_taken(award_round: AwardRound) -> int:
    return award_round.nominations.filter(status__in=[N.SHORTLISTED, N.PUBLICISED]).count()


@transaction.atomic
def shortlist(*, nomination_id: int, actor=None, request=None) -> Nomination:
    """In review → shortlisted, never beyond the round's quota."""
    round_id = Nomination.objects.values_list("round_id", flat=True).get(pk=nomination_id)
    award_round = _locked_round(round_id)  # the round first: it guards the quota
    nomination = _locked_nomination(nomination_id)
    if award_round.status != R.REVIEWING:
        raise DomainError(
            _("%(round)s当前为“%(status)s”，不能再调整拟入选名单。") % {"round": award_round, "status": award_round.get_status_display()}
        )
    NOMINATION_STATES.check(nomination.status, N.SHORTLISTED)
    if _places_taken(award_round) >= award_round.quota:
        raise DomainError(
            _("%(round)s的表彰名额为 %(quota)s 名，已全部确定，不能再增加。") % {"round": award_round, "quota": award_round.quota}
        )
    nomination.status_changed = timezone.now()
    NOMINATION_STATES.move(nomination, N.SHORTLISTED, actor=actor, request=request, fields=["status_changed"])
    return nomination


@transaction.atomic
def remove_from_shortlist(*, nomination_id: int, actor=None, request=None) -> Nomination:
    nomination = _locked_nomination(nomination_id)
    if nomination.round.status != R.REVIEWING:
        raise DomainError(_("公示开始后不能再调整拟入选名单。"))
    nomination.status_changed = timezone.now()
    NOMINATION_STATES.move(nomination, N.IN_REVIEW, actor=actor, request=request, fields=["status_changed"])
    return nomination


@transaction.atomic
def shortlist_top(*, round_id: int, count: int, actor=None, request=None) -> list[Nomination]:
    """Shortlist the best-ranked nominations still in review, up to ``count`` and the quota."""
    from ..selectors import round_ranking

    award_round = _locked_round(round_id)
    free = award_round.quota - _places_taken(award_round)
    if count > free:
        raise DomainError(_("本届剩余名额为 %(free)s 名，不能入选 %(count)s 名。") % {"free": free, "count": count})
    best = round_ranking(award_round.pk).filter(status=N.IN_REVIEW, final_score__isnull=False)[:count]
    return [shortlist(nomination_id=row["id"], actor=actor, request=request) for row in list(best)]


@transaction.atomic
def open_nominations(*, round_id: int, actor=None, request=None) -> AwardRound:
    award_round = _locked_round(round_id)
    ROUND_STATES.move(award_round, R.NOMINATING, actor=actor, request=request)
    return award_round


@transaction.atomic
def close_nominations(*, round_id: int, actor=None, request=None) -> AwardRound:
    award_round = _locked_round(round_id)
    ROUND_STATES.move(award_round, R.REVIEWING, actor=actor, request=request)
    return award_round


OBJECTION_CONTACT_FIELDS = ("objection_contact", "objection_phone", "objection_email", "objection_address")


def notice_end(award_round: AwardRound, starts: datetime.date) -> datetime.date:
    """The last day of the 公示: its ``notice_days``-th working day from ``starts`` (counted
    if a working day) on the official calendar, 调休 included.

    For a year whose holiday notice the calendar does not know yet, the end date staff
    entered from the State Council's notice is taken, provided the period holds at least
    ``notice_days`` weekdays; without it the 公示 is refused with a message saying what to do.
    """
    try:
        return workdays.nth_working_day(starts, award_round.notice_days)
    except workdays.UnknownYear as unknown:
        entered = award_round.notice_ends
        if entered is None:
            raise DomainError(_(
                "系统尚未收录%(year)s年的国务院节假日安排，无法按工作日推算公示截止日期。请对照国务院办公厅的"
                "节假日安排通知，在本届的“公示截止日期”中填写公示期第%(n)s个工作日后再发布公示。"
            ) % {"year": unknown.year, "n": award_round.notice_days}) from None
        if entered < starts or workdays.weekdays_between(starts, entered) < award_round.notice_days:
            raise DomainError(_(
                "填写的公示截止日期%(date)s不足%(n)s个工作日（自%(start)s起），请改正后再发布公示。"
            ) % {"date": chinese_date(entered), "n": award_round.notice_days, "start": chinese_date(starts)}) from None
        return entered


@transaction.atomic
def publish_notice(*, round_id: int, actor=None, request=None, starts: datetime.date | None = None) -> AwardRound:
    """Reviewing → 公示: every shortlisted nomination goes on the public notice for
    ``notice_days`` working days, with the contacts that take objections."""
    award_round = _locked_round(round_id)
    ROUND_STATES.check(award_round.status, R.PUBLICISING)
    missing = [AwardRound._meta.get_field(f).verbose_name for f in OBJECTION_CONTACT_FIELDS if not getattr(award_round, f).strip()]
    if missing:
        raise DomainError(_("公示须写明受理异议的联系方式，请先填写本届的%(fields)s。") % {"fields": "、".join(map(str, missing))})
    shortlisted = list(award_round.nominations.select_for_update().filter(status=N.SHORTLISTED))
    if not shortlisted:
        raise DomainError(_("%(round)s还没有拟入选对象，不能发布公示。") % {"round": award_round})
    starts = starts or timezone.localdate()
    award_round.notice_ends = notice_end(award_round, starts)
    award_round.notice_starts = starts
    ROUND_STATES.move(
        award_round, R.PUBLICISING, actor=actor, request=request, fields=["notice_starts", "notice_ends"],
        detail=_("公示期%(n)s个工作日（%(a)s至%(b)s）") % {
            "n": award_round.notice_days, "a": chinese_date(award_round.notice_starts), "b": chinese_date(award_round.notice_ends)},
    )
    now = timezone.now()
    for nomination in shortlisted:
        nomination.status_changed = now
        NOMINATION_STATES.move(nomination, N.PUBLICISED, actor=actor, request=request, fields=["status_changed"])
    notices.notice_started(award_round, shortlisted)
    return award_round


@transaction.atomic
def raise_objection(
    *, round_id: int, name: str, contact: str, reason: str, nomination_id: int | None = None,
    request=None, today: datetime.date | None = None,
) -> Objection:
    award_round = AwardRound.objects.select_related("programme").get(pk=round_id)
    if not award_round.notice_running(today):
        raise DomainError(_("%(round)s不在公示期内，不能提出异议。") % {"round": award_round})
    if nomination_id is not None and not award_round.nominations.filter(pk=nomination_id, status=N.PUBLICISED).exists():
        raise DomainError(_("所选对象不在本次公示名单中。"))
    objection = Objection.objects.create(
        round=award_round, nomination_id=nomination_id, name=name, contact=contact, reason=reason
    )
    audit.record(AuditEntry.Action.CREATE, obj=objection, to_state=objection.status, request=request)
    return objection


@transaction.atomic
def handle_objection(*, objection_id: int, upheld: bool, reply: str, actor=None, request=None) -> Objection:
    """Staff answer an objection; an upheld one takes the nominee off the list (公示 → not awarded)."""
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    target = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    if not OBJECTION_STATES.allows(objection.status, target):
        raise DomainError(_("该异议已处理。"))
    if not reply.strip():
        raise DomainError(_("请填写处理意见。"))
    objection.reply = reply.strip()
    objection.handled_by = actor if actor and actor.is_authenticated else None
    objection.handled_at = timezone.now()
    OBJECTION_STATES.move(objection, target, actor=actor, request=request, fields=["reply", "handled_by", "handled_at"])
    if upheld and objection.nomination_id:
        nomination = _locked_nomination(objection.nomination_id)
        if nomination.status == N.PUBLICISED:
            nomination.status_changed = timezone.now()
            NOMINATION_STATES.move(nomination, N.NOT_AWARDED, actor=actor, request=request, detail=_("公示异议成立"),
                                   fields=["status_changed"])
    return objection


@transaction.atomic
def announce_winners(*, round_id: int, actor=None, request=None, today: datetime.date | None = None) -> int:
    """After the 公示's last working day, with every objection answered: publicised → awarded."""
    award_round = _locked_round(round_id)
    ROUND_STATES.check(award_round.status, R.ANNOUNCED)
    today = today or timezone.localdate()
    if award_round.notice_ends and today <= award_round.notice_ends:
        raise DomainError(_("公示期至%(date)s结束，期满后才能公布结果。") % {"date": chinese_date(award_round.notice_ends)})
    pending = award_round.objections.filter(status=Objection.Status.RECEIVED).count()
    if pending:
        raise DomainError(_("尚有 %(n)s 条公示异议未处理，处理后才能公布结果。") % {"n": pending})
    unfinished = award_round.nominations.filter(status__in=[N.SUBMITTED, N.ELIGIBLE]).count()
    if unfinished:
        raise DomainError(_("尚有 %(n)s 份推荐未完成资格审查或评审分配。") % {"n": unfinished})
    award_round.announced_on = today
    ROUND_STATES.move(award_round, R.ANNOUNCED, actor=actor, request=request, fields=["announced_on"])
    awarded = 0
    now = timezone.now()
    for nomination in award_round.nominations.select_for_update().filter(status__in=[N.PUBLICISED, N.IN_REVIEW]):
        nomination.status_changed = now
        if nomination.status == N.PUBLICISED:
            fields = ["status_changed"]
            if not award_round.programme.is_for_organizations and nomination.talent_id is None:
                nomination.talent = _registry_entry_for_winner(nomination)
                fields.append("talent")
            NOMINATION_STATES.move(nomination, N.AWARDED, actor=actor, request=request, fields=fields)
            awarded += 1
        else:
            NOMINATION_STATES.move(nomination, N.NOT_AWARDED, actor=actor, request=request, fields=["status_changed"])
    notices.results_announced(award_round)
    return awarded


def _registry_entry_for_winner(nomination: Nomination) -> Talent:
    """Everyone honoured is in the registry: link the matching entry or add one (not public)."""
    found = _find_talent(nomination.nominee_name, nomination.nominee_birth_date, nomination.nominee_employer)
    if found:
        return found
    return Talent.objects.create(
        name=nomination.nominee_name,
        gender=nomination.nominee_gender or "M",
        birth_year=nomination.nominee_birth_date.year if nomination.nominee_birth_date else None,
        title=nomination.nominee_title,
        title_level=nomination.nominee_title_level or 9,
        employer=nomination.nominee_employer,
        field=nomination.nominee_field,
    )
