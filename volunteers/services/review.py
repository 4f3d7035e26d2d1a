"""Staff review of volunteers: approve, reject with a reason, suspend, reinstate."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit
from association.models import AuditEntry

from .. import selectors
from ..models import Membership, ServiceTeam, Volunteer
from . import ServiceError, check_transition

S = Volunteer.Status
TRANSITIONS = {
    S.PENDING: {S.APPROVED, S.REJECTED},
    S.APPROVED: {S.SUSPENDED},
    S.SUSPENDED: {S.APPROVED},
    S.REJECTED: {S.PENDING, S.APPROVED},
}


def _transition(volunteer: Volunteer, target: str, *, actor, reason: str = "", request=None) -> Volunteer:
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        check_transition(TRANSITIONS, volunteer.status, target, S)
        previous = volunteer.status
        volunteer.status = target
        volunteer.reviewed_at = timezone.now()
        volunteer.reviewed_by = actor
        volunteer.rejection_reason = reason if target == S.REJECTED else ""
        volunteer.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason", "updated"])
        audit.record(
            AuditEntry.Action.TRANSITION, actor=actor, obj=volunteer, from_state=previous, to_state=target,
            detail=reason, request=request,
        )
        transaction.on_commit(selectors.forget_team_member_counts)
        if target in (S.APPROVED, S.REJECTED) and volunteer.email:
            from ..tasks import send_review_notice

            transaction.on_commit(lambda: send_review_notice.delay(volunteer.pk))
    return volunteer


def approve(volunteer: Volunteer, *, actor, request=None) -> Volunteer:
    return _transition(volunteer, S.APPROVED, actor=actor, request=request)


def reject(volunteer: Volunteer, *, actor, reason: str, request=None) -> Volunteer:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写未通过的原因，志愿者会在通知中看到它。"))
    return _transition(volunteer, S.REJECTED, actor=actor, reason=reason, request=request)


def suspend(volunteer: Volunteer, *, actor, reason: str = "", request=None) -> Volunteer:
    return _transition(volunteer, S.SUSPENDED, actor=actor, reason=reason, request=request)


def reinstate(volunteer: Volunteer, *, actor, request=None) -> Volunteer:
    return _transition(volunteer, S.APPROVED, actor=actor, request=request)


def bulk(action, volunteers, *, actor, request=None, **kwargs) -> tuple[int, list[str]]:
    """Apply one review action to many; returns (done, [Chinese messages of refusals])."""
    done, refused = 0, []
    for volunteer in volunteers:
        try:
            action(volunteer, actor=actor, request=request, **kwargs)
            done += 1
        except ServiceError as exc:
            refused.append(f"{volunteer.name}：{exc.message}")
    return done, refused


def assign(volunteer: Volunteer, team: ServiceTeam, *, role: str, actor, joined=None, request=None) -> Membership:
    """Put a volunteer in a team with a role (or change the role)."""
    if role not in Membership.Role.values:
        raise ServiceError(_("角色不正确。"))
    try:
        Membership(volunteer=volunteer, team=team, role=role).clean()
    except ValidationError as exc:
        raise ServiceError(exc.messages[0]) from None
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            volunteer=volunteer, team=team, defaults={"role": role, "joined": joined or timezone.localdate()}
        )
        transaction.on_commit(selectors.forget_team_member_counts)
        audit.record(
            AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE, actor=actor, obj=membership,
            detail=f"{team.name}：{membership.get_role_display()}", request=request,
        )
    return membership
