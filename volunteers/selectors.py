"""Reads of the volunteers app: every query a page needs, planned here."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

from association.selectors import count_of

from .idcard import ID_PATTERN, MOBILE_PATTERN, normalise_id_number, normalise_mobile
from .models import (
    HoursCertificate,
    HoursClaim,
    Membership,
    ServiceOrder,
    ServiceProject,
    ServiceRecord,
    ServiceTeam,
    Volunteer,
)

APPROVED = Volunteer.Status.APPROVED
CONFIRMED = ServiceRecord.Status.CONFIRMED


@dataclass
class TeamNode:
    team: ServiceTeam
    direct: int
    leaders: list[Membership]
    children: list["TeamNode"] = field(default_factory=list)

    @property
    def members(self) -> int:
        """Approved volunteers in the team and its groups (each membership counted once)."""
        return self.direct + sum(child.members for child in self.children)


TEAM_COUNTS_KEY = "volunteers:team-member-counts"
TEAM_COUNTS_SECONDS = 300


def team_member_counts() -> dict[int, int]:
    """Approved members per team (direct memberships), cached: the public tree may lag
    a few minutes, and reviews and team changes clear it at once."""
    counts = cache.get(TEAM_COUNTS_KEY)
    if counts is None:
        counts = dict(
            Membership.objects.filter(volunteer__status=APPROVED).values_list("team_id").annotate(n=Count("id")).order_by()
        )
        cache.set(TEAM_COUNTS_KEY, counts, TEAM_COUNTS_SECONDS)
    return counts


def forget_team_member_counts() -> None:
    cache.delete(TEAM_COUNTS_KEY)


def team_tree() -> list[TeamNode]:
    """Corps → teams → groups with member counts and leaders' names: two queries (and one
    more for the counts when they are not cached)."""
    leaders = Prefetch(
        "memberships",
        queryset=Membership.objects.filter(role__in=Membership.LEADER_ROLES, volunteer__status=APPROVED)
        .select_related("volunteer").only("id", "team_id", "role", "volunteer__id", "volunteer__name")
        .order_by("role", "volunteer__name"),
        to_attr="leader_memberships",
    )
    teams = list(ServiceTeam.objects.filter(is_active=True).prefetch_related(leaders).order_by("order", "name"))
    counts = team_member_counts()
    nodes = {t.pk: TeamNode(t, counts.get(t.pk, 0), t.leader_memberships) for t in teams}
    roots = []
    for t in teams:
        node = nodes[t.pk]
        if t.parent_id in nodes:
            nodes[t.parent_id].children.append(node)
        else:
            roots.append(node)
    return roots


def published_projects():
    return (
        ServiceProject.objects.published()
        .select_related("team", "team__parent")
        .annotate(done=count_of(
            ServiceOrder.objects.filter(project=OuterRef("pk"), status__in=[ServiceOrder.Status.DONE, ServiceOrder.Status.RATED]),
            "project",
        ))
        .order_by("order", "-published_at", "id")
    )


def order_by_token(token: str) -> ServiceOrder | None:
    if not token or len(token) > 64:
        return None
    return ServiceOrder.objects.select_related("project", "team", "county").filter(token=token).first()


def volunteer_for_user(user) -> Volunteer | None:
    if not user.is_authenticated:
        return None
    return Volunteer.objects.select_related("county").filter(user=user).first()


def volunteer_with_number(value: str) -> Volunteer | None:
    """The one volunteer registered with this full mobile or ID number, else None: a look-up
    for someone who already knows the number, never a list to browse."""
    mobile = normalise_mobile(value)
    if MOBILE_PATTERN.match(mobile):
        return Volunteer.objects.with_mobile(mobile).first()
    id_number = normalise_id_number(value)
    if ID_PATTERN.match(id_number):
        return Volunteer.objects.with_id_number(id_number).first()
    return None


def memberships_of(volunteer: Volunteer):
    return volunteer.memberships.select_related("team", "team__parent").order_by("team__order", "team__name")


def totals_of(volunteer: Volunteer, *, year: int) -> dict:
    """Confirmed hours in all and this year, pending hours, record count: one query."""
    return volunteer.records.aggregate(
        total_hours=Sum("hours", filter=Q(status=CONFIRMED), default=Decimal("0")),
        year_hours=Sum("hours", filter=Q(status=CONFIRMED, date__year=year), default=Decimal("0")),
        pending_hours=Sum("hours", filter=Q(status=ServiceRecord.Status.PENDING), default=Decimal("0")),
        confirmed=Count("id", filter=Q(status=CONFIRMED)),
        total=Count("id"),
    )


def monthly_hours_of(volunteer: Volunteer, *, months: int = 12) -> list[dict]:
    rows = (
        volunteer.records.filter(status=CONFIRMED)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(sum_hours=Sum("hours"), n=Count("id"))
        .order_by("-month")[:months]
    )
    return list(rows)


def records_of(volunteer: Volunteer):
    return volunteer.records.select_related("team", "order").order_by("-date", "-id")


def certificates_of(volunteer: Volunteer):
    return volunteer.certificates.order_by("-requested_at")[:10]


def led_team_ids(memberships) -> list[int]:
    """Teams a volunteer leads, with the groups under a team they lead (from memberships already read)."""
    return [m.team_id for m in memberships if m.is_leader]


def orders_for_leader(team_ids: list[int]):
    if not team_ids:
        return ServiceOrder.objects.none()
    # The teams (and the groups under them) as a subquery: an OR across the join to the
    # team would read every order; this way the orders' team index answers.
    teams = ServiceTeam.objects.filter(Q(pk__in=team_ids) | Q(parent_id__in=team_ids)).values("pk")
    return (
        ServiceOrder.objects.filter(team_id__in=teams)
        .filter(status__in=[ServiceOrder.Status.DISPATCHED, ServiceOrder.Status.ACCEPTED, ServiceOrder.Status.DONE])
        .select_related("project", "team")
        .order_by("wanted_date")[:20]
    )


def team_members_for_recording(team_ids: list[int]):
    return (
        Volunteer.objects.approved()
        .filter(Q(memberships__team_id__in=team_ids) | Q(memberships__team__parent_id__in=team_ids))
        .distinct()
        .order_by("name")
        .only("id", "name", "status")
    )


def ready_certificate_for(user, pk: int) -> HoursCertificate | None:
    return HoursCertificate.objects.select_related("volunteer").filter(pk=pk, status=HoursCertificate.Status.READY).first()


# -- 补录 -------------------------------------------------------------------------------------
def claims_of(volunteer: Volunteer):
    return volunteer.hours_claims.only(
        "id", "date", "title", "hours", "status", "refusal_reason", "submitted_at", "decided_at", "evidence",
    ).order_by("-submitted_at", "-id")


def claims_section(volunteer: Volunteer) -> dict:
    """The volunteer's own claims (latest ten) and, for a leader, how many wait for them: two queries."""
    led = list(Membership.objects.filter(volunteer=volunteer, role__in=Membership.LEADER_ROLES)
               .values_list("team_id", flat=True))
    waiting = (claims_for_leader(led).filter(status=HoursClaim.Status.PENDING).exclude(volunteer=volunteer).count()
               if led else 0)
    return {"claims": list(claims_of(volunteer)[:10]), "leads": bool(led), "waiting": waiting}


def claims_for_leader(team_ids):
    """Claims of the teams a leader leads and the groups under them."""
    if not team_ids:
        return HoursClaim.objects.none()
    return HoursClaim.objects.filter(
        Q(team_id__in=team_ids) | Q(team__parent_id__in=team_ids) | Q(team__parent__parent_id__in=team_ids)
    )


def claim_queue(claims, *, status: str = "", team_id: int | None = None, date_from=None, date_to=None):
    """A review queue's page rows, filtered: status, team, date range."""
    if status:
        claims = claims.filter(status=status)
    if team_id:
        claims = claims.filter(team_id=team_id)
    if date_from:
        claims = claims.filter(date__gte=date_from)
    if date_to:
        claims = claims.filter(date__lte=date_to)
    return claims.select_related("volunteer", "team").order_by("status", "-date", "-id")
