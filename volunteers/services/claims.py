"""补录: a volunteer asks for missing hours; the team leader (for their teams) or staff
(within their unit's reach) approve them into a confirmed service record, or refuse them
with a reason the volunteer reads."""

import os
import uuid
from datetime import date as date_type
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import audit, filecheck, scoping, two_factor
from association.formatting import chinese_date
from association.models import AuditEntry
from association.states import DomainError, StateMachine

from .. import notices
from ..activities import activities_for
from ..models import HoursClaim, ServiceRecord, Volunteer
from . import records
from .orders import leads

C = HoursClaim.Status
CLAIM_STATES = StateMachine(C, {C.PENDING: {C.APPROVED, C.REFUSED}, C.APPROVED: set(), C.REFUSED: set()})
SUBJECT = gettext_lazy("这条补录申请")
REVIEW_PERMISSION = "volunteers.change_hoursclaim"
EVIDENCE_MAX_BYTES = 10 * filecheck.MB
EVIDENCE_TEXT = _("照片（JPEG、PNG）或 PDF 文件，不超过 10 MB")


class EvidenceRefused(DomainError):
    """The evidence file is not one the portal takes (shown at the file's field)."""


def checked_evidence(file) -> ContentFile:
    """A photo re-encoded without its metadata (a phone's photo carries where it was taken),
    or a checked PDF, under a random name; ValidationError with a Chinese message otherwise."""
    if file is None:
        raise ValidationError(_("请上传证明材料（%(what)s）。") % {"what": EVIDENCE_TEXT})
    extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower()
    if extension == ".pdf":
        filecheck.check_pdf(file, max_bytes=EVIDENCE_MAX_BYTES)
        file.seek(0)
        return ContentFile(file.read(), name=f"{uuid.uuid4().hex}.pdf")
    stored = filecheck.reencode_image(file, max_side=2400, max_bytes=EVIDENCE_MAX_BYTES)
    stored.name = uuid.uuid4().hex + os.path.splitext(stored.name)[1]
    return stored


def _day_total(volunteer_id: int, day: date_type, *, excluding_claim: int | None = None) -> Decimal:
    """Hours already held for that day: records not refused and claims still pending."""
    recorded = ServiceRecord.objects.filter(volunteer_id=volunteer_id, date=day).exclude(
        status=ServiceRecord.Status.REJECTED).aggregate(n=Sum("hours", default=Decimal("0")))["n"]
    claimed = HoursClaim.objects.filter(volunteer_id=volunteer_id, date=day, status=C.PENDING).exclude(
        pk=excluding_claim).aggregate(n=Sum("hours", default=Decimal("0")))["n"]
    return recorded + claimed


def _check_day(volunteer_id: int, day: date_type, hours: Decimal, *, excluding_claim: int | None = None) -> None:
    held = _day_total(volunteer_id, day, excluding_claim=excluding_claim)
    if held + hours > records.MAX_HOURS:
        raise DomainError(_("%(day)s 已有服务时长 %(held)s 小时，加上本次将超过每天 24 小时。")
                          % {"day": chinese_date(day), "held": held})


def submit(*, volunteer_id: int, hours, reason: str, evidence, activity_key: str = "", date: date_type | None = None,
           title: str = "", request=None) -> HoursClaim:
    """The volunteer asks for ``hours``: for one of their teams' activities (``activity_key``
    from ``activities_for``; date and title are the activity's, hours at most its length),
    or on ``date`` for what ``title`` says."""
    hours = records._hours(hours)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明为何需要补录（例如：活动当天未能签到）。"))
    # Checked (a photo re-encoded) before any row is locked.
    try:
        stored = checked_evidence(evidence)
    except ValidationError as exc:
        raise EvidenceRefused(" ".join(exc.messages)) from exc
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
        if volunteer.status != Volunteer.Status.APPROVED:
            raise DomainError(_("通过审核的志愿者才能申请补录服务时长。"))
        fields = {}
        if activity_key:
            activity = next((a for a in activities_for(volunteer) if a.key == activity_key), None)
            if activity is None:
                raise DomainError(_("所选活动不在可补录的范围内（近 90 天您所在队伍的活动）。"))
            if activity.max_hours is not None and hours > activity.max_hours:
                raise DomainError(_("申请时长不能超过活动时长 %(n)s 小时。") % {"n": activity.max_hours})
            if ServiceRecord.objects.filter(volunteer=volunteer, activity_type=activity.content_type,
                                            activity_id=activity.obj.pk).exclude(
                                                status=ServiceRecord.Status.REJECTED).exists():
                raise DomainError(_("您在该活动已有服务记录，无需补录。"))
            is_order = activity.obj._meta.label == "volunteers.ServiceOrder"
            fields = {"date": activity.date, "title": activity.title[:200], "team_id": activity.team_id,
                      "max_hours": activity.max_hours, "order_id": activity.obj.pk if is_order else None,
                      "activity_type": None if is_order else activity.content_type,
                      "activity_id": None if is_order else activity.obj.pk}
        else:
            title = (title or "").strip()
            if date is None or not title:
                raise DomainError(_("请选择活动，或填写服务日期和服务内容。"))
            if date > timezone.localdate():
                raise DomainError(_("服务日期不能晚于今天。"))
            first_team = volunteer.memberships.order_by("id").values_list("team_id", flat=True).first()
            fields = {"date": date, "title": title[:200], "team_id": first_team}
        _check_day(volunteer.pk, fields["date"], hours)
        if fields.get("order_id") and HoursClaim.objects.filter(
                volunteer=volunteer, order_id=fields["order_id"], status__in=[C.PENDING, C.APPROVED]).exists():
            raise DomainError(_("您已为该活动提交过补录申请。"))
        try:
            with transaction.atomic():
                claim = HoursClaim.objects.create(volunteer=volunteer, hours=hours, reason=reason[:1000],
                                                  evidence=stored, **fields)
        except IntegrityError as exc:
            if "hoursclaim_once_per_activity" in str(exc):
                raise DomainError(_("您已为该活动提交过补录申请。")) from exc
            raise
        audit.record(AuditEntry.Action.CREATE, obj=claim, to_state=C.PENDING, request=request,
                     detail=f"申请补录 {hours} 小时")
        notices.claim_received(claim)  # the team's leaders; staff see it in their queue
    return claim


def may_review(user, claim: HoursClaim) -> bool:
    """The leader of the claim's team (not for their own claim), or staff with the right
    whose unit reaches the volunteer's."""
    if not user.is_authenticated:
        return False
    if (two_factor.may_act_as_staff(user) and user.has_perm(REVIEW_PERMISSION)
            and scoping.may_reach(user, claim)):
        return True
    return claim.volunteer.user_id != user.pk and leads(user, claim.team)


def _locked(claim_id: int, actor) -> HoursClaim:
    claim = (HoursClaim.objects.select_for_update(of=("self",)).select_related("volunteer", "team", "team__parent")
             .get(pk=claim_id))
    if not may_review(actor, claim):
        raise DomainError(_("只有该队伍的负责人或所属单位的工作人员可以审核这条申请。"))
    return claim


def approve(*, claim_id: int, actor, request=None) -> HoursClaim:
    """The hours become a confirmed service record: they count in the totals and certificates."""
    with transaction.atomic():
        claim = _locked(claim_id, actor)
        CLAIM_STATES.check(claim.status, C.APPROVED, subject=SUBJECT)
        _check_day(claim.volunteer_id, claim.date, claim.hours, excluding_claim=claim.pk)
        (record,) = records.record_hours(
            volunteer_ids=[claim.volunteer_id], hours=claim.hours, date=claim.date, title=claim.title,
            activity=claim.activity if claim.activity_type_id else None, order_id=claim.order_id,
            team_id=claim.team_id, recorded_by=actor, confirm=True,
        )
        claim.record = record
        claim.decided_by = actor
        claim.decided_at = timezone.now()
        CLAIM_STATES.move(claim, C.APPROVED, actor=actor, request=request, subject=SUBJECT,
                          fields=["record", "decided_by", "decided_at"], detail=f"补录 {claim.hours} 小时")
        # The volunteer hears of it through the confirmed record (notices.hours_confirmed).
    return claim


def refuse(*, claim_id: int, actor, reason: str, request=None) -> HoursClaim:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写未通过的原因，志愿者会看到它。"))
    with transaction.atomic():
        claim = _locked(claim_id, actor)
        claim.refusal_reason = reason[:300]
        claim.decided_by = actor
        claim.decided_at = timezone.now()
        CLAIM_STATES.move(claim, C.REFUSED, actor=actor, request=request, subject=SUBJECT, detail=reason[:300],
                          fields=["refusal_reason", "decided_by", "decided_at"])
        notices.claim_refused(claim)
    return claim

