"""Staff review of volunteers: approve, reject with a reason, suspend, reinstate."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import audit, queue
from association.models import AuditEntry
from association.states import DomainError, StateMachine

from .. import selectors
from ..models import Membership, ServiceTeam, Volunteer

S = Volunteer.Status
# DELETED: the person closed their account (services.rights.delete_account); final.
VOLUNTEER_STATES = StateMachine(S, {
    S.PENDING: {S.APPROVED, S.REJECTED, S.DELETED},
    S.APPROVED: {S.SUSPENDED, S.DELETED},
    S.SUSPENDED: {S.APPROVED, S.DELETED},
    S.REJECTED: {S.PENDING, S.APPROVED, S.DELETED},
    S.DELETED: set(),
})
SUBJECT = gettext_lazy("该志愿者")
# The volunteer is told (e-mail, SMS, inbox) when the review decides.
NOTIFIED = (S.APPROVED, S.REJECTED)


def _review(volunteer_id: int, target: str, *, actor, reason: str = "", request=None) -> Volunteer:
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
        volunteer.reviewed_at = timezone.now()
        volunteer.reviewed_by = actor
        volunteer.rejection_reason = reason if target == S.REJECTED else ""
        VOLUNTEER_STATES.move(volunteer, target, actor=actor, request=request, detail=reason, subject=SUBJECT,
                              fields=["reviewed_at", "reviewed_by", "rejection_reason"])
        transaction.on_commit(selectors.forget_team_member_counts)
        if target in NOTIFIED:
            queue.enqueue("volunteers.tasks.send_review_notice", volunteer.pk)
    return volunteer


def approve(*, volunteer_id: int, actor, request=None) -> Volunteer:
    return _review(volunteer_id, S.APPROVED, actor=actor, request=request)


def reject(*, volunteer_id: int, actor, reason: str, request=None) -> Volunteer:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写未通过的原因，志愿者会在通知中看到它。"))
    return _review(volunteer_id, S.REJECTED, actor=actor, reason=reason, request=request)


def suspend(*, volunteer_id: int, actor, reason: str = "", request=None) -> Volunteer:
    return _review(volunteer_id, S.SUSPENDED, actor=actor, reason=reason, request=request)


def reinstate(*, volunteer_id: int, actor, request=None) -> Volunteer:
    return _review(volunteer_id, S.APPROVED, actor=actor, request=request)


def assign(*, volunteer_id: int, team_id: int, role: str, actor, joined=None, request=None) -> Membership:
    """Put a volunteer in a team with a role (or change the role)."""
    if role not in Membership.Role.values:
        raise DomainError(_("角色不正确。"))
    team = ServiceTeam.objects.get(pk=team_id)
    try:
        Membership(volunteer_id=volunteer_id, team=team, role=role).clean()
    except ValidationError as exc:
        raise DomainError(exc.messages[0]) from None
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            volunteer_id=volunteer_id, team=team, defaults={"role": role, "joined": joined or timezone.localdate()}
        )
        transaction.on_commit(selectors.forget_team_member_counts)
        audit.record(
            AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE, actor=actor, obj=membership,
            detail=f"{team.name}：{membership.get_role_display()}", request=request,
        )
    return membership
