"""Technology demands: collected → checked → published → matched → solved (or rejected / closed)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit
from association.models import AuditEntry

from ..models import Match, TechDemand
from ..states import DEMAND_TRANSITIONS, TalentsError, ensure_allowed


def _move(demand: TechDemand, target: str, *, actor=None, detail: str = "", request=None) -> None:
    ensure_allowed(DEMAND_TRANSITIONS, TechDemand.Status, demand.status, target)
    source = demand.status
    demand.status = target
    demand.status_changed = timezone.now()
    if target == TechDemand.Status.PUBLISHED and demand.published_at is None:
        demand.published_at = demand.status_changed
    if target == TechDemand.Status.SOLVED:
        demand.solved_at = demand.status_changed
    demand.save(update_fields=["status", "status_changed", "published_at", "solved_at", "review_note"])
    audit.record(AuditEntry.Action.TRANSITION, actor=actor, obj=demand, from_state=source, to_state=target, detail=detail, request=request)


def _locked(demand: TechDemand) -> TechDemand:
    return TechDemand.objects.select_for_update().get(pk=demand.pk)


@transaction.atomic
def post_demand(*, fields=(), request=None, **data) -> TechDemand:
    """An enterprise posts a need through the public form; it waits for staff to check it."""
    demand = TechDemand.objects.create(status=TechDemand.Status.COLLECTED, **data)
    if fields:
        demand.fields.set(fields)
    audit.record(AuditEntry.Action.CREATE, obj=demand, to_state=demand.status, request=request)
    return demand


@transaction.atomic
def check_demand(demand: TechDemand, *, actor=None, note: str = "", request=None) -> TechDemand:
    demand = _locked(demand)
    demand.review_note = note or demand.review_note
    _move(demand, TechDemand.Status.CHECKED, actor=actor, request=request)
    return demand


@transaction.atomic
def publish_demand(demand: TechDemand, *, actor=None, request=None) -> TechDemand:
    demand = _locked(demand)
    _move(demand, TechDemand.Status.PUBLISHED, actor=actor, request=request)
    return demand


@transaction.atomic
def reject_demand(demand: TechDemand, *, reason: str, actor=None, request=None) -> TechDemand:
    if not reason.strip():
        raise TalentsError(_("请填写不予发布的理由。"))
    demand = _locked(demand)
    demand.review_note = reason.strip()
    _move(demand, TechDemand.Status.REJECTED, actor=actor, detail=demand.review_note, request=request)
    return demand


@transaction.atomic
def close_demand(demand: TechDemand, *, reason: str, actor=None, request=None) -> TechDemand:
    if not reason.strip():
        raise TalentsError(_("请填写关闭需求的原因。"))
    demand = _locked(demand)
    demand.review_note = reason.strip()
    _move(demand, TechDemand.Status.CLOSED, actor=actor, detail=demand.review_note, request=request)
    return demand


@transaction.atomic
def match_demand(demand: TechDemand, *, talents=(), teams=(), note: str = "", actor=None, request=None) -> list[Match]:
    """Put a published demand in touch with experts and/or teams (一企一对接)."""
    demand = _locked(demand)
    if demand.status not in (TechDemand.Status.PUBLISHED, TechDemand.Status.MATCHED):
        raise TalentsError(
            _("需求“%(title)s”当前为“%(status)s”，发布后才能对接。") % {"title": demand.title, "status": demand.get_status_display()}
        )
    if not talents and not teams:
        raise TalentsError(_("请至少选择一位专家或一支服务队。"))
    created = []
    who = actor if actor is not None and actor.is_authenticated else None
    for talent in talents:
        match, new = Match.objects.get_or_create(demand=demand, talent=talent, defaults={"note": note, "created_by": who})
        if new:
            created.append(match)
    for team in teams:
        match, new = Match.objects.get_or_create(demand=demand, team=team, defaults={"note": note, "created_by": who})
        if new:
            created.append(match)
    if created:
        audit.record(
            AuditEntry.Action.CHANGE, actor=actor, obj=demand, request=request,
            detail=_("对接：%(names)s") % {"names": "、".join(str(m.partner) for m in created)},
        )
    if demand.status == TechDemand.Status.PUBLISHED and created:
        _move(demand, TechDemand.Status.MATCHED, actor=actor, request=request)
    return created


@transaction.atomic
def record_match_outcome(match: Match, *, outcome: str, note: str = "", actor=None, request=None) -> Match:
    """Write down how a 对接 went; a success may then mark the demand solved."""
    match = Match.objects.select_for_update().select_related("demand").get(pk=match.pk)
    if outcome not in Match.Outcome.values:
        raise TalentsError(_("未知的对接结果。"))
    if match.demand.status != TechDemand.Status.MATCHED:
        raise TalentsError(_("需求已“%(status)s”，不能再记录对接结果。") % {"status": match.demand.get_status_display()})
    source = match.outcome
    match.outcome = outcome
    if note.strip():
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        match.note = (match.note + "\n" if match.note else "") + f"[{stamp}] {note.strip()}"
    match.save(update_fields=["outcome", "note", "updated"])
    audit.record(AuditEntry.Action.TRANSITION, actor=actor, obj=match, from_state=source, to_state=outcome, request=request)
    return match


@transaction.atomic
def solve_demand(demand: TechDemand, *, actor=None, request=None) -> TechDemand:
    demand = _locked(demand)
    if not demand.matches.filter(outcome=Match.Outcome.SUCCEEDED).exists():
        raise TalentsError(_("需求“%(title)s”还没有对接成功的记录，不能标记为已解决。") % {"title": demand.title})
    _move(demand, TechDemand.Status.SOLVED, actor=actor, request=request)
    return demand
