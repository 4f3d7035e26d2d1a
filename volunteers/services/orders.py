"""点单: a community orders a project; staff dispatch it; the team accepts or declines,
serves and marks it done; the orderer rates it. One function per transition."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import audit, queue
from association.models import AuditEntry
from association.states import DomainError, StateMachine

from .. import notices
from ..models import Membership, ServiceOrder, ServiceProject, ServiceTeam, Volunteer

S = ServiceOrder.Status
ORDER_STATES = StateMachine(S, {
    S.SUBMITTED: {S.DISPATCHED, S.CANCELLED},
    S.DISPATCHED: {S.ACCEPTED, S.DECLINED, S.DISPATCHED, S.CANCELLED},
    S.DECLINED: {S.DISPATCHED, S.CANCELLED},
    S.ACCEPTED: {S.DONE, S.CANCELLED},
    S.DONE: {S.RATED},
    S.RATED: set(),
    S.CANCELLED: set(),
})
SUBJECT = gettext_lazy("该点单")


def _move(order_id: int, target: str, *, actor=None, detail: str = "", request=None, by_leader: bool = False,
          **changes) -> ServiceOrder:
    """Lock the order, check who acts (``by_leader``: the team's leader or staff), move it."""
    with transaction.atomic():
        order = (ServiceOrder.objects.select_for_update(of=("self",)).select_related("project", "team", "team__parent")
                 .get(pk=order_id))
        if by_leader:
            _check_leader(order, actor)
        for name, value in changes.items():
            setattr(order, name, value)
        ORDER_STATES.move(order, target, actor=actor, request=request, detail=detail, subject=SUBJECT, fields=changes)
        notices.order_moved(order)
    return order


def place_order(*, project_id: int, data: dict, request=None) -> ServiceOrder:
    project = ServiceProject.objects.get(pk=project_id)
    if project.status != ServiceProject.Status.PUBLISHED:
        raise DomainError(_("该服务项目已下架，暂不接受点单。"))
    with transaction.atomic():
        order = ServiceOrder.objects.create(project=project, status=S.SUBMITTED, **data)
        audit.record(AuditEntry.Action.CREATE, obj=order, to_state=S.SUBMITTED, detail="公众点单", request=request)
        queue.enqueue("volunteers.tasks.send_order_link", order.pk)
    return order


def dispatch(*, order_id: int, team_id: int, actor, request=None) -> ServiceOrder:
    """派单: staff hand the order to a team (again, after a decline)."""
    team = ServiceTeam.objects.get(pk=team_id)
    if team.kind == ServiceTeam.Kind.CORPS:
        raise DomainError(_("请派给具体的服务队或工作组，而不是服务团。"))
    return _move(order_id, S.DISPATCHED, actor=actor, request=request, detail=f"派给：{team.name}",
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
        volunteer__status=Volunteer.Status.APPROVED,
    ).exists()


def _check_leader(order: ServiceOrder, actor) -> None:
    if not (actor.is_staff and actor.has_perm("volunteers.change_serviceorder")) and not leads(actor, order.team):
        raise DomainError(_("只有承接队伍的负责人或科普部工作人员可以办理这张点单。"))


def accept(*, order_id: int, actor, request=None) -> ServiceOrder:
    """接单"""
    return _move(order_id, S.ACCEPTED, actor=actor, request=request, by_leader=True, accepted_at=timezone.now())


class ReasonRequired(DomainError):
    """A decline without its reason (the API's code: ``reason_required``)."""

    default_message = gettext_lazy("请说明拒单的原因，便于工作人员另行派单。")


def decline(*, order_id: int, actor, reason: str, request=None) -> ServiceOrder:
    """拒单: back to staff to dispatch elsewhere."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    return _move(order_id, S.DECLINED, actor=actor, request=request, by_leader=True, detail=reason,
                 decline_reason=reason)


def complete(*, order_id: int, actor, request=None) -> ServiceOrder:
    return _move(order_id, S.DONE, actor=actor, request=request, by_leader=True, done_at=timezone.now())


def rate(*, order_id: int, rating: int, comment: str = "", request=None) -> ServiceOrder:
    """评单: by whoever holds the order's private link."""
    if rating not in range(1, 6):
        raise DomainError(_("请选择 1 到 5 星的评分。"))
    return _move(order_id, S.RATED, request=request, detail=f"{rating} 星", rating=rating,
                 rating_comment=(comment or "").strip()[:1000], rated_at=timezone.now())


def cancel(*, order_id: int, actor=None, reason: str = "", request=None) -> ServiceOrder:
    return _move(order_id, S.CANCELLED, actor=actor, request=request, detail=reason,
                 cancel_reason=(reason or "").strip())
