"""属地管理: which unit reviews and keeps a volunteer (``Volunteer.unit``, 管理单位).

The rule, written once and used wherever a volunteer is made (self-registration, a staff
member's form, the Excel roster, the demo and the synthetic data):

1. the unit of the first team the volunteer wishes to join (or joins) that has one;
2. else the 科协 of the county they chose (a county 科协, or a park's);
3. else the city association.

A unit's staff registering someone keep them within their own work: an answer outside the
unit's subtree (another county's 科协, the city) becomes the registering unit itself.
"""

from association import scoping
from association.models import Organization

COUNTY_KINDS = (Organization.Kind.COUNTY_ASSOCIATION, Organization.Kind.PARK_ASSOCIATION)


def county_unit_ids() -> dict[int, int]:
    """The 科协 of each county: a county 科协 before a park's, then by order (one query)."""
    found: dict[int, int] = {}
    rows = (
        Organization.objects.filter(kind__in=COUNTY_KINDS, county__isnull=False)
        .order_by("kind", "order", "id").values_list("county_id", "id")
    )
    for county_id, unit_id in rows:
        found.setdefault(county_id, unit_id)
    return found


class UnitRule:
    """The rule with what it reads read once (two small queries): call ``unit_for`` for as
    many volunteers as needed (an import, generated data) without further queries.

    ``within``: the id of the unit whose staff register the volunteers (None for the city's
    own staff and for self-registration)."""

    def __init__(self, *, within: int | None = None):
        self.county_units = county_unit_ids()
        self.city_id = scoping.city_unit_id()
        self.within = within
        self.reach = scoping.subtree_ids(within) if within is not None else None

    def unit_for(self, *, teams=(), county_id: int | None = None) -> int | None:
        """The managing unit's id for a volunteer wishing to join (or joining) ``teams``, in
        order of preference, from ``county_id``."""
        found = next((team.organization_id for team in teams if team is not None and team.organization_id), None)
        if found is None and county_id is not None:
            found = self.county_units.get(county_id)
        if found is None:
            found = self.city_id
        if self.reach is not None and found not in self.reach:
            found = self.within
        return found


def managing_unit_id(*, teams=(), county_id: int | None = None, registered_by=None) -> int | None:
    """The managing unit of one new volunteer; ``registered_by``: the staff member entering
    them (their unit keeps them), None for self-registration."""
    unit = scoping.unit_of(registered_by) if registered_by is not None else None
    return UnitRule(within=unit.pk if unit is not None else None).unit_for(teams=teams, county_id=county_id)
