"""Every change in the life of an award round and its nominations.

One function per transition; each locks the row it changes, checks the table in
``talents.states``, writes, and records the change in the audit log.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit
from association.formatting import chinese_date
from association.models import AuditEntry

from ..models import (
    AwardRound,
    Nomination,
    NominationMaterial,
    Objection,
    Review,
    Talent,
    person_name,
)
from ..states import NOMINATION_TRANSITIONS, ROUND_TRANSITIONS, TalentsError, ensure_allowed
from ..validators import material_content_type, stored_material
from . import eligibility

REVIEWER_PERMISSION = "talents.review_nomination"
REVIEWER_GROUP = "评审专家"


class IneligibleNomination(TalentsError):
    def __init__(self, problems: list[eligibility.Problem]):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


# -- transitions -------------------------------------------------------------------------


def _move(nomination: Nomination, target: str, *, actor=None, detail: str = "", request=None) -> None:
    ensure_allowed(NOMINATION_TRANSITIONS, Nomination.Status, nomination.status, target)
    source = nomination.status
    nomination.status = target
    nomination.status_changed = timezone.now()
    nomination.save(update_fields=["status", "status_changed", "eligibility_note"])
    audit.record(
        AuditEntry.Action.TRANSITION, actor=actor, obj=nomination, from_state=source, to_state=target, detail=detail, request=request
    )


def _move_round(award_round: AwardRound, target: str, *, actor=None, detail: str = "", request=None) -> None:
    ensure_allowed(ROUND_TRANSITIONS, AwardRound.Status, award_round.status, target)
    source = award_round.status
    award_round.status = target
    award_round.save()
    audit.record(
        AuditEntry.Action.TRANSITION, actor=actor, obj=award_round, from_state=source, to_state=target, detail=detail, request=request
    )


def _locked_nomination(nomination) -> Nomination:
    return Nomination.objects.select_for_update().select_related("round__programme").get(pk=nomination.pk)


def _locked_round(award_round) -> AwardRound:
    return AwardRound.objects.select_for_update().select_related("programme").get(pk=award_round.pk)


# -- nominating -------------------------------------------------------------------------


def _find_talent(name: str, birth_date, employer: str) -> Talent | None:
    """The registry entry of a nominee, when exactly one matches; never guessed."""
    if not birth_date:
        return None
    matches = list(Talent.objects.filter(name=name, birth_year=birth_date.year, employer=employer)[:2])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def submit_nomination(
    *,
    award_round: AwardRound,
    nominating_unit,
    summary: str,
    contact_person: str,
    contact_phone: str,
    recommendation,
    attachments=(),
    nominee_name: str = "",
    nominee_organization=None,
    nominee_gender: str = "",
    nominee_birth_date: datetime.date | None = None,
    nominee_title: str = "",
    nominee_title_level: int | None = None,
    nominee_employer: str = "",
    nominee_field=None,
    achievement_title: str = "",
    submitted_by=None,
    request=None,
    today: datetime.date | None = None,
) -> Nomination:
    """A unit nominates someone (or a society). Refused when the window is shut or a rule is broken."""
    award_round = AwardRound.objects.select_for_update().select_related("programme").get(pk=award_round.pk)
    if not award_round.accepts_nominations(today):
        raise TalentsError(
            _("%(round)s的推荐时间为%(opens)s至%(closes)s，当前不接受推荐。")
            % {"round": award_round, "opens": chinese_date(award_round.nomination_opens), "closes": chinese_date(award_round.nomination_closes)}
        )
    if award_round.programme.is_for_organizations:
        if nominee_organization is None:
            raise IneligibleNomination([eligibility.Problem("nominee_organization", _("请选择被推荐的科技社团。"))])
        nominee_name = nominee_organization.name
        talent = None
    else:
        if not nominee_name.strip():
            raise IneligibleNomination([eligibility.Problem("nominee_name", _("请填写被推荐人姓名。"))])
        talent = _find_talent(nominee_name, nominee_birth_date, nominee_employer)
    candidate = eligibility.Candidate(
        name=nominee_name,
        birth_date=nominee_birth_date,
        title_level=nominee_title_level,
        talent_id=talent.pk if talent else None,
        organization_id=nominee_organization.pk if nominee_organization else None,
    )
    found = eligibility.problems(award_round, candidate)
    if found:
        raise IneligibleNomination(found)
    nomination = Nomination.objects.create(
        round=award_round,
        nominating_unit=nominating_unit,
        talent=talent,
        nominee_organization=nominee_organization,
        nominee_name=nominee_name,
        nominee_gender=nominee_gender,
        nominee_birth_date=nominee_birth_date,
        nominee_title=nominee_title,
        nominee_title_level=nominee_title_level,
        nominee_employer=nominee_employer,
        nominee_field=nominee_field,
        achievement_title=achievement_title,
        summary=summary,
        contact_person=contact_person,
        contact_phone=contact_phone,
        submitted_by=submitted_by if submitted_by is not None and submitted_by.is_authenticated else None,
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
        AuditEntry.Action.CREATE, actor=submitted_by, obj=nomination, to_state=nomination.status,
        detail=_("推荐单位：%(unit)s") % {"unit": nominating_unit}, request=request,
    )
    return nomination


@transaction.atomic
def check_eligibility(nomination: Nomination, *, actor=None, request=None) -> list[eligibility.Problem]:
    """Staff run the system's check: submitted → eligible, or → ineligible with the reason."""
    nomination = _locked_nomination(nomination)
    ensure_allowed(NOMINATION_TRANSITIONS, Nomination.Status, nomination.status, Nomination.Status.ELIGIBLE)
    found = eligibility.problems(nomination.round, eligibility.Candidate.of(nomination), exclude_nomination_id=nomination.pk)
    if found:
        nomination.eligibility_note = "；".join(p.message for p in found)
        _move(nomination, Nomination.Status.INELIGIBLE, actor=actor, detail=nomination.eligibility_note, request=request)
    else:
        nomination.eligibility_note = _("经系统核验，符合推荐条件。")
        _move(nomination, Nomination.Status.ELIGIBLE, actor=actor, request=request)
    return found


@transaction.atomic
def reject_as_ineligible(nomination: Nomination, *, reason: str, actor=None, request=None) -> Nomination:
    """Staff find a fault the system cannot see (an unsigned form, missing proof)."""
    if not reason.strip():
        raise TalentsError(_("请填写资格不符的理由。"))
    nomination = _locked_nomination(nomination)
    nomination.eligibility_note = reason.strip()
    _move(nomination, Nomination.Status.INELIGIBLE, actor=actor, detail=nomination.eligibility_note, request=request)
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
def assign_reviewers(nomination: Nomination, *, reviewers, actor=None, request=None) -> int:
    """Give a checked nomination to reviewers; the first assignment opens its review."""
    nomination = _locked_nomination(nomination)
    if nomination.status not in (Nomination.Status.ELIGIBLE, Nomination.Status.IN_REVIEW):
        raise TalentsError(
            _("“%(name)s”当前为“%(status)s”，只有资格审查通过或评审中的推荐可以分配评审专家。")
            % {"name": nomination.nominee_name, "status": nomination.get_status_display()}
        )
    added = 0
    for reviewer in reviewers:
        if not reviewer.has_perm(REVIEWER_PERMISSION):
            raise TalentsError(_("%(user)s 不是评审专家，不能分配评审。") % {"user": person_name(reviewer)})
        _review, created = Review.objects.get_or_create(
            nomination=nomination, reviewer=reviewer, defaults={"assigned_by": actor if actor and actor.is_authenticated else None}
        )
        added += created
    if added:
        audit.record(
            AuditEntry.Action.CHANGE, actor=actor, obj=nomination, detail=_("分配评审专家 %(n)s 名") % {"n": added}, request=request
        )
    if nomination.status == Nomination.Status.ELIGIBLE and added:
        _move(nomination, Nomination.Status.IN_REVIEW, actor=actor, request=request)
    return added


@transaction.atomic
def submit_score(review: Review, *, reviewer, score: int, comment: str = "", request=None) -> Review:
    """A reviewer scores a nomination assigned to them, while it is in review and the shortlist not final."""
    review = Review.objects.select_for_update().select_related("nomination__round").get(pk=review.pk)
    if review.reviewer_id != reviewer.pk:
        raise TalentsError(_("这份推荐没有分配给您评审。"))
    if not review.nomination.review_open:
        raise TalentsError(_("该推荐已结束评审，不能再修改评分。"))
    if not 0 <= int(score) <= 100:
        raise TalentsError(_("评分须在 0 到 100 分之间。"))
    first_time = review.score is None
    review.score = int(score)
    review.comment = comment
    review.scored_at = timezone.now()
    review.save(update_fields=["score", "comment", "scored_at"])
    audit.record(
        AuditEntry.Action.CHANGE, actor=reviewer, obj=review.nomination,
        detail=_("评审专家提交评分") if first_time else _("评审专家修改评分"), request=request,
    )
    return review


# -- shortlist, 公示, announcement --------------------------------------------------------


def _places_taken(award_round: AwardRound) -> int:
    return award_round.nominations.filter(status__in=[Nomination.Status.SHORTLISTED, Nomination.Status.PUBLICISED]).count()


@transaction.atomic
def shortlist(nomination: Nomination, *, actor=None, request=None) -> Nomination:
    """In review → shortlisted, never beyond the round's quota."""
    award_round = _locked_round(nomination.round)
    nomination = _locked_nomination(nomination)
    if award_round.status != AwardRound.Status.REVIEWING:
        raise TalentsError(_("%(round)s当前为“%(status)s”，不能再调整拟入选名单。") % {"round": award_round, "status": award_round.get_status_display()})
    ensure_allowed(NOMINATION_TRANSITIONS, Nomination.Status, nomination.status, Nomination.Status.SHORTLISTED)
    if _places_taken(award_round) >= award_round.quota:
        raise TalentsError(_("%(round)s的表彰名额为 %(quota)s 名，已全部确定，不能再增加。") % {"round": award_round, "quota": award_round.quota})
    _move(nomination, Nomination.Status.SHORTLISTED, actor=actor, request=request)
    return nomination


@transaction.atomic
def remove_from_shortlist(nomination: Nomination, *, actor=None, request=None) -> Nomination:
    nomination = _locked_nomination(nomination)
    if nomination.round.status != AwardRound.Status.REVIEWING:
        raise TalentsError(_("公示开始后不能再调整拟入选名单。"))
    _move(nomination, Nomination.Status.IN_REVIEW, actor=actor, request=request)
    return nomination


@transaction.atomic
def shortlist_top(award_round: AwardRound, *, count: int, actor=None, request=None) -> list[Nomination]:
    """Shortlist the best-ranked nominations still in review, up to ``count`` and the quota."""
    from ..selectors import round_ranking

    award_round = _locked_round(award_round)
    free = award_round.quota - _places_taken(award_round)
    if count > free:
        raise TalentsError(_("本届剩余名额为 %(free)s 名，不能入选 %(count)s 名。") % {"free": free, "count": count})
    ids = [
        row["id"]
        for row in round_ranking(award_round.pk).filter(status=Nomination.Status.IN_REVIEW, final_score__isnull=False)[:count]
    ]
    done = []
    for nomination in Nomination.objects.filter(pk__in=ids):
        done.append(shortlist(nomination, actor=actor, request=request))
    return done


@transaction.atomic
def open_nominations(award_round: AwardRound, *, actor=None, request=None) -> AwardRound:
    award_round = _locked_round(award_round)
    _move_round(award_round, AwardRound.Status.NOMINATING, actor=actor, request=request)
    return award_round


@transaction.atomic
def close_nominations(award_round: AwardRound, *, actor=None, request=None) -> AwardRound:
    award_round = _locked_round(award_round)
    _move_round(award_round, AwardRound.Status.REVIEWING, actor=actor, request=request)
    return award_round


@transaction.atomic
def publish_notice(award_round: AwardRound, *, actor=None, request=None, starts: datetime.date | None = None) -> AwardRound:
    """Reviewing → 公示: every shortlisted nomination goes on the public notice for the set days."""
    award_round = _locked_round(award_round)
    ensure_allowed(ROUND_TRANSITIONS, AwardRound.Status, award_round.status, AwardRound.Status.PUBLICISING)
    shortlisted = list(award_round.nominations.select_for_update().filter(status=Nomination.Status.SHORTLISTED))
    if not shortlisted:
        raise TalentsError(_("%(round)s还没有拟入选对象，不能发布公示。") % {"round": award_round})
    starts = starts or timezone.localdate()
    award_round.notice_starts = starts
    award_round.notice_ends = starts + datetime.timedelta(days=award_round.notice_days - 1)
    _move_round(
        award_round, AwardRound.Status.PUBLICISING, actor=actor, request=request,
        detail=_("公示期 %(a)s 至 %(b)s") % {"a": chinese_date(award_round.notice_starts), "b": chinese_date(award_round.notice_ends)},
    )
    for nomination in shortlisted:
        _move(nomination, Nomination.Status.PUBLICISED, actor=actor, request=request)
    return award_round


@transaction.atomic
def raise_objection(
    *, award_round: AwardRound, name: str, contact: str, reason: str, nomination: Nomination | None = None,
    request=None, today: datetime.date | None = None,
) -> Objection:
    award_round = AwardRound.objects.select_related("programme").get(pk=award_round.pk)
    if not award_round.notice_running(today):
        raise TalentsError(_("%(round)s不在公示期内，不能提出异议。") % {"round": award_round})
    if nomination is not None and not award_round.nominations.filter(pk=nomination.pk, status=Nomination.Status.PUBLICISED).exists():
        raise TalentsError(_("所选对象不在本次公示名单中。"))
    objection = Objection.objects.create(round=award_round, nomination=nomination, name=name, contact=contact, reason=reason)
    audit.record(AuditEntry.Action.CREATE, obj=objection, to_state=objection.status, request=request)
    return objection


@transaction.atomic
def handle_objection(objection: Objection, *, upheld: bool, reply: str, actor=None, request=None) -> Objection:
    """Staff answer an objection; an upheld one takes the nominee off the list (公示 → not awarded)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.RECEIVED:
        raise TalentsError(_("该异议已处理。"))
    if not reply.strip():
        raise TalentsError(_("请填写处理意见。"))
    source = objection.status
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.reply = reply.strip()
    objection.handled_by = actor if actor and actor.is_authenticated else None
    objection.handled_at = timezone.now()
    objection.save()
    audit.record(AuditEntry.Action.TRANSITION, actor=actor, obj=objection, from_state=source, to_state=objection.status, request=request)
    if upheld and objection.nomination_id:
        nomination = _locked_nomination(objection.nomination)
        if nomination.status == Nomination.Status.PUBLICISED:
            _move(nomination, Nomination.Status.NOT_AWARDED, actor=actor, request=request, detail=_("公示异议成立"))
    return objection


@transaction.atomic
def announce_winners(award_round: AwardRound, *, actor=None, request=None, today: datetime.date | None = None) -> int:
    """After the 公示 has run its days with every objection answered: publicised → awarded."""
    award_round = _locked_round(award_round)
    ensure_allowed(ROUND_TRANSITIONS, AwardRound.Status, award_round.status, AwardRound.Status.ANNOUNCED)
    today = today or timezone.localdate()
    if award_round.notice_ends and today <= award_round.notice_ends:
        raise TalentsError(_("公示期至%(date)s结束，期满后才能公布结果。") % {"date": chinese_date(award_round.notice_ends)})
    pending = award_round.objections.filter(status=Objection.Status.RECEIVED).count()
    if pending:
        raise TalentsError(_("尚有 %(n)s 条公示异议未处理，处理后才能公布结果。") % {"n": pending})
    unfinished = award_round.nominations.filter(status__in=[Nomination.Status.SUBMITTED, Nomination.Status.ELIGIBLE]).count()
    if unfinished:
        raise TalentsError(_("尚有 %(n)s 份推荐未完成资格审查或评审分配。") % {"n": unfinished})
    award_round.announced_on = today
    _move_round(award_round, AwardRound.Status.ANNOUNCED, actor=actor, request=request)
    awarded = 0
    for nomination in award_round.nominations.select_for_update().filter(
        status__in=[Nomination.Status.PUBLICISED, Nomination.Status.IN_REVIEW]
    ):
        if nomination.status == Nomination.Status.PUBLICISED:
            if not award_round.programme.is_for_organizations and nomination.talent_id is None:
                nomination.talent = _registry_entry_for_winner(nomination)
                nomination.save(update_fields=["talent"])
            _move(nomination, Nomination.Status.AWARDED, actor=actor, request=request)
            awarded += 1
        else:
            _move(nomination, Nomination.Status.NOT_AWARDED, actor=actor, request=request)
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
