"""Technology demands: collected → checked → published → matched → solved (or rejected / closed).

Each function takes ids, locks the demand and moves it through ``DEMAND_STATES`` (which
checks the move, writes it and records it in the audit log).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit, scoping
from association.models import AuditEntry, Organization
from association.states import DomainError, StateMachine
from volunteers.models import ServiceTeam

from ..models import Match, Talent, TechDemand

D = TechDemand.Status
DEMAND_STATES = StateMachine(D, {
    D.COLLECTED: {D.CHECKED, D.REJECTED},
    D.CHECKED: {D.PUBLISHED, D.REJECTED},
    D.PUBLISHED: {D.MATCHED, D.CLOSED},
    D.MATCHED: {D.SOLVED, D.CLOSED},
    D.SOLVED: set(),
    D.REJECTED: set(),
    D.CLOSED: set(),
})

# How a 对接 went is staff's record of it: while the demand is being matched they may set
# any outcome, again and again (each time recorded), to follow the conversation.
MATCH_OUTCOMES = StateMachine(Match.Outcome, dict.fromkeys(Match.Outcome.values, Match.Outcome.values), field="outcome")


def _locked(demand_id: int) -> TechDemand:
    return TechDemand.objects.select_for_update().get(pk=demand_id)


# The units that collect the demands of a county (县区科协 first, then a park's 科协).
COLLECTING_KINDS = (Organization.Kind.COUNTY_ASSOCIATION, Organization.Kind.PARK_ASSOCIATION)


def collector_for(county_id: int | None) -> int | None:
    """The 征集单位 of a demand posted from ``county_id``: the county's 科协 when it has one
    (a park's 科协 for a park), else the city association (属地管理)."""
    if county_id is not None:
        found = (
            Organization.objects.active().filter(kind__in=COLLECTING_KINDS, county_id=county_id)
            .order_by("kind", "order", "id").values_list("pk", flat=True).first()
        )
        if found:
            return found
    return scoping.city_unit_id()


@transaction.atomic
def post_demand(*, field_ids=(), request=None, **data) -> TechDemand:
    """An enterprise posts a need through the public form; it waits for staff to check it.
    The county's 科协 collects it (``collector_for``) and follows it up."""
    data.setdefault("collected_by_id", collector_for(data.get("county_id")))
    demand = TechDemand.objects.create(status=D.COLLECTED, **data)
    if field_ids:
        demand.fields.set(field_ids)
    audit.record(AuditEntry.Action.CREATE, obj=demand, to_state=demand.status, request=request)
    return demand


@transaction.atomic
def check_demand(*, demand_id: int, actor=None, note: str = "", request=None) -> TechDemand:
    demand = _locked(demand_id)
    demand.review_note = note or demand.review_note
    demand.status_changed = timezone.now()
    DEMAND_STATES.move(demand, D.CHECKED, actor=actor, request=request, fields=["status_changed", "review_note"])
    return demand


@transaction.atomic
def publish_demand(*, demand_id: int, actor=None, request=None) -> TechDemand:
    demand = _locked(demand_id)
    demand.status_changed = timezone.now()
    demand.published_at = demand.published_at or demand.status_changed
    DEMAND_STATES.move(demand, D.PUBLISHED, actor=actor, request=request, fields=["status_changed", "published_at"])
    return demand


@transaction.atomic
def reject_demand(*, demand_id: int, reason: str, actor=None, request=None) -> TechDemand:
    if not reason.strip():
        raise DomainError(_("请填写不予发布的理由。"))
    demand = _locked(demand_id)
    demand.review_note = reason.strip()
    demand.status_changed = timezone.now()
    DEMAND_STATES.move(demand, D.REJECTED, actor=actor, request=request, detail=demand.review_note,
                       fields=["status_changed", "review_note"])
    return demand


@transaction.atomic
def close_demand(*, demand_id: int, reason: str, actor=None, request=None) -> TechDemand:
    if not reason.strip():
        raise DomainError(_("请填写关闭需求的原因。"))
    demand = _locked(demand_id)
    demand.review_note = reason.strip()
    demand.status_changed = timezone.now()
    DEMAND_STATES.move(demand, D.CLOSED, actor=actor, request=request, detail=demand.review_note,
                       fields=["status_changed", "review_note"])
    return demand


@transaction.atomic
def match_demand(*, demand_id: int, talent_ids=(), team_ids=(), note: str = "", actor=None, request=None) -> list[Match]:
    """Put a published demand in touch with experts and/or teams (一企一对接)."""
    demand = _locked(demand_id)
    if demand.status not in (D.PUBLISHED, D.MATCHED):
        raise DomainError(
            _("需求“%(title)s”当前为“%(status)s”，发布后才能对接。") % {"title": demand.title, "status": demand.get_status_display()}
        )
    if not talent_ids and not team_ids:
        raise DomainError(_("请至少选择一位专家或一支服务队。"))
    if talent_ids and scoping.is_unit_staff(actor):
        # The expert registry is the city's: a unit asks the city to put an expert in touch.
        raise DomainError(_("推荐人才库专家对接由市科协学会学术部办理，本单位可对接本单位的服务队。"))
    created = []
    who = actor if actor is not None and actor.is_authenticated else None
    partners = [("talent", t) for t in Talent.objects.filter(pk__in=talent_ids).order_by("pk")]
    teams = scoping.scope(ServiceTeam.objects.filter(pk__in=team_ids), actor)
    partners += [("team", t) for t in teams.order_by("pk")]
    for kind, partner in partners:
        match, new = Match.objects.get_or_create(demand=demand, **{kind: partner}, defaults={"note": note, "created_by": who})
        if new:
            created.append(match)
    if created:
        audit.record(
            AuditEntry.Action.CHANGE, actor=actor, obj=demand, request=request,
            detail=_("对接：%(names)s") % {"names": "、".join(str(m.partner) for m in created)},
        )
    if demand.status == D.PUBLISHED and created:
        demand.status_changed = timezone.now()
        DEMAND_STATES.move(demand, D.MATCHED, actor=actor, request=request, fields=["status_changed"])
    return created


@transaction.atomic
def record_match_outcome(*, match_id: int, outcome: str, note: str = "", actor=None, request=None) -> Match:
    """Write down how a 对接 went; a success may then mark the demand solved."""
    match = Match.objects.select_for_update().select_related("demand").get(pk=match_id)
    if outcome not in Match.Outcome.values:
        raise DomainError(_("未知的对接结果。"))
    if match.demand.status != D.MATCHED:
        raise DomainError(_("需求已“%(status)s”，不能再记录对接结果。") % {"status": match.demand.get_status_display()})
    if note.strip():
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        match.note = (match.note + "\n" if match.note else "") + f"[{stamp}] {note.strip()}"
    MATCH_OUTCOMES.move(match, outcome, actor=actor, request=request, fields=["note"])
    return match


@transaction.atomic
def solve_demand(*, demand_id: int, actor=None, request=None) -> TechDemand:
    demand = _locked(demand_id)
    if not demand.matches.filter(outcome=Match.Outcome.SUCCEEDED).exists():
        raise DomainError(_("需求“%(title)s”还没有对接成功的记录，不能标记为已解决。") % {"title": demand.title})
    demand.status_changed = timezone.now()
    demand.solved_at = demand.status_changed
    DEMAND_STATES.move(demand, D.SOLVED, actor=actor, request=request, fields=["status_changed", "solved_at"])
    return demand
