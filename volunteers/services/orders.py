"""点单: a community orders a project; staff dispatch it; the team accepts or declines,
serves and marks it done; the orderer rates it. One function per transition."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit
from association.models import AuditEntry

from ..models import Membership, ServiceOrder, ServiceProject, ServiceTeam
from . import ServiceError, check_transition

S = ServiceOrder.Status
TRANSITIONS = {
    S.SUBMITTED: {S.DISPATCHED, S.CANCELLED},
    S.DISPATCHED: {S.ACCEPTED, S.DECLINED, S.DISPATCHED, S.CANCELLED},
    S.DECLINED: {S.DISPATCHED, S.CANCELLED},
    S.ACCEPTED: {S.DONE, S.CANCELLED},
    S.DONE: {S.RATED},
    S.RATED: set(),
    S.CANCELLED: set(),
}


def _locked(order: ServiceOrder) -> ServiceOrder:
    return ServiceOrder.objects.select_for_update().get(pk=order.pk)


def _move(order: ServiceOrder, target: str, *, actor=None, detail: str = "", request=None, **changes) -> ServiceOrder:
    with transaction.atomic():
        order = _locked(order)
        check_transition(TRANSITIONS, order.status, target, S)
        previous = order.status
        order.status = target
        for name, value in changes.items():
            setattr(order, name, value)
        order.save(update_fields=["status", *changes])
        audit.record(
            AuditEntry.Action.TRANSITION, actor=actor, obj=order, from_state=previous, to_state=target,
            detail=detail, request=request,
        )
    return order


def place_order(*, project: ServiceProject, data: dict, request=None) -> ServiceOrder:
    if project.status != ServiceProject.Status.PUBLISHED:
        raise ServiceError(_("该服务项目已下架，暂不接受点单。"))
    with transaction.atomic():
        order = ServiceOrder.objects.create(project=project, status=S.SUBMITTED, **data)
        audit.record(AuditEntry.Action.CREATE, obj=order, to_state=S.SUBMITTED, detail="公众点单", request=request)
        if order.email:
            from ..tasks import send_order_link

            transaction.on_commit(lambda: send_order_link.delay(order.pk))
    return order


def dispatch(order: ServiceOrder, *, team: ServiceTeam, actor, request=None) -> ServiceOrder:
    """派单: staff hand the order to a team (again, after a decline)."""
    if team.kind == ServiceTeam.Kind.CORPS:
        raise ServiceError(_("请派给具体的服务队或工作组，而不是服务团。"))
    return _move(order, S.DISPATCHED, actor=actor, request=request, detail=f"派给：{team.name}",
                 team=team, dispatched_at=timezone.now(), decline_reason="")


def leads(user, team: ServiceTeam | None) -> bool:
    """Whether ``user`` leads ``team`` (as its leader or the leader of the corps/team above it)."""
    if team is None or not user.is_authenticated:
        return False
    volunteer = getattr(user, "volunteer", None)
    if volunteer is None:
        return False
    ids = [team.pk, team.parent_id] + ([team.parent.parent_id] if team.parent_id and team.parent.parent_id else [])
    return Membership.objects.filter(
        volunteer=volunteer, team_id__in=[i for i in ids if i], role__in=Membership.LEADER_ROLES,
        volunteer__status="approved",
    ).exists()


def _check_leader(order: ServiceOrder, actor) -> None:
    if not (actor.is_staff and actor.has_perm("volunteers.change_serviceorder")) and not leads(actor, order.team):
        raise ServiceError(_("只有承接队伍的负责人或科普部工作人员可以办理这张点单。"))


def accept(order: ServiceOrder, *, actor, request=None) -> ServiceOrder:
    """接单"""
    _check_leader(order, actor)
    return _move(order, S.ACCEPTED, actor=actor, request=request, accepted_at=timezone.now())


def decline(order: ServiceOrder, *, actor, reason: str, request=None) -> ServiceOrder:
    """拒单: back to staff to dispatch elsewhere."""
    _check_leader(order, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请说明拒单的原因，便于工作人员另行派单。"))
    return _move(order, S.DECLINED, actor=actor, request=request, detail=reason, decline_reason=reason)


def complete(order: ServiceOrder, *, actor, request=None) -> ServiceOrder:
    _check_leader(order, actor)
    return _move(order, S.DONE, actor=actor, request=request, done_at=timezone.now())


def rate(order: ServiceOrder, *, rating: int, comment: str = "", request=None) -> ServiceOrder:
    """评单: by whoever holds the order's private link."""
    if rating not in range(1, 6):
        raise ServiceError(_("请选择 1 到 5 星的评分。"))
    return _move(order, S.RATED, request=request, detail=f"{rating} 星", rating=rating,
                 rating_comment=(comment or "").strip()[:1000], rated_at=timezone.now())


def cancel(order: ServiceOrder, *, actor=None, reason: str = "", request=None) -> ServiceOrder:
    return _move(order, S.CANCELLED, actor=actor, request=request, detail=reason, cancel_reason=(reason or "").strip())
