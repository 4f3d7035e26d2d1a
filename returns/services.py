"""A unit's statistics return: its own work counted from the records, what it types, and the
returns of the units below it rolled up.

Who files: the city association, each county (district) 科协 and each 学会 (FILING_KINDS).
A unit that does not file (a township 科协, a 农技协, a base, an enterprise 科协…) is counted
in the return of the nearest filing unit above it. So a return is the filing unit's own
work — its records and those of the non-filing units below it, down to the next filing
unit — plus the accepted returns of the filing units directly below it. Over the whole tree
every record is counted once.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from association import extensions, scoping
from association.models import Organization

from .models import ReturnItem, ReturnTable, ReturnValue, StatisticsReturn

K = Organization.Kind
FILING_KINDS = (K.ASSOCIATION, K.COUNTY_ASSOCIATION, K.SOCIETY)
FILING_BELOW = (K.COUNTY_ASSOCIATION, K.SOCIETY)  # the city association files at the top only


def files_a_return(organization: Organization) -> bool:
    return organization.kind in FILING_KINDS and (organization.kind != K.ASSOCIATION or organization.parent_id is None)


@dataclass
class Reach:
    """The units whose work is the filing unit's own, and the filing units directly below it."""

    own: frozenset[int]
    filing_below: list[int] = field(default_factory=list)


def _shape(organization_id: int) -> tuple[dict[int, int], frozenset[int]]:
    """Every unit below ``organization_id`` mapped to the filing unit it reports through (the
    nearest filing unit above it), and which of them file. One query, cached until the tree
    changes."""

    def find():
        ids = scoping.subtree_ids(organization_id)
        children: dict[int, list[tuple[int, str]]] = {}
        for pk, parent, kind in Organization.objects.filter(pk__in=ids).values_list("pk", "parent_id", "kind"):
            children.setdefault(parent, []).append((pk, kind))
        through, filing, stack = {}, set(), [(organization_id, organization_id)]
        while stack:
            node, filer = stack.pop()
            for pk, kind in children.get(node, []):
                through[pk] = filer
                if kind in FILING_BELOW:
                    filing.add(pk)
                stack.append((pk, pk if kind in FILING_BELOW else filer))
        return through, frozenset(filing)

    return scoping.cached_per_tree(f"returns:shape:{organization_id}", find)


def reach(organization_id: int) -> Reach:
    through, filing = _shape(organization_id)
    mine = {unit for unit, filer in through.items() if filer == organization_id}
    return Reach(frozenset({organization_id, *(mine - filing)}), sorted(mine & filing))


def tables_for(organization: Organization, year: int):
    """The tables the unit files for the year (学会 their own set, 科协 theirs)."""
    society = organization.kind == K.SOCIETY
    filers = [ReturnTable.Filers.ALL, ReturnTable.Filers.SOCIETY if society else ReturnTable.Filers.ASSOCIATION]
    return ReturnTable.objects.filter(year=year, filers__in=filers).order_by("order")


def items_for(organization: Organization, year: int):
    return ReturnItem.objects.filter(table__in=tables_for(organization, year)).select_related("table", "part_of")


def count_item(item: ReturnItem, unit_ids, year: int) -> Decimal:
    rule = extensions.statistic_rules().get(item.rule)
    if rule is None:
        raise LookupError(f"statistics rule {item.rule!r} of {item} is not registered")
    return Decimal(rule.count(unit_ids, year) or 0)


def own_figures(organization: Organization, year: int) -> dict[int, Decimal]:
    """{item id: number} of the computed items over the unit's own work."""
    own = reach(organization.pk).own
    return {item.pk: count_item(item, own, year) for item in items_for(organization, year) if item.is_computed}


@transaction.atomic
def open_return(organization_id: int, year: int) -> StatisticsReturn:
    """The unit's return for the year, made when first opened; while it is being filled in
    (or was returned), its computed items are counted afresh from the records."""
    organization = Organization.objects.get(pk=organization_id)
    statistics_return, _created = StatisticsReturn.objects.get_or_create(organization=organization, year=year)
    statistics_return = StatisticsReturn.objects.select_for_update().get(pk=statistics_return.pk)
    if statistics_return.status in (StatisticsReturn.Status.DRAFT, StatisticsReturn.Status.RETURNED):
        refresh_computed(statistics_return)
    return statistics_return


def refresh_computed(statistics_return: StatisticsReturn) -> None:
    figures = own_figures(statistics_return.organization, statistics_return.year)
    existing = {v.item_id: v for v in statistics_return.values.all()}
    changed, new = [], []
    for item_id, number in figures.items():
        value = existing.get(item_id)
        if value is None:
            new.append(ReturnValue(statistics_return=statistics_return, item_id=item_id, value=number))
        elif value.value != number:
            value.value = number
            changed.append(value)
    ReturnValue.objects.bulk_create(new)
    ReturnValue.objects.bulk_update(changed, ["value"])


@dataclass
class RollUp:
    """A unit's totals: its own work plus the accepted returns below it, and who is missing."""

    totals: dict[int, Decimal]
    own: dict[int, Decimal]
    missing: list[Organization]


@dataclass
class _Below:
    accepted: dict[int, int]  # accepted filing unit → its return's id
    counted: set[int]  # the unit and every filing unit whose chain up to it is accepted
    missing: list[int]  # filing units not accepted while all above them are


def _below(organization_id: int, year: int) -> _Below:
    """The filing units below and how far the roll-up reaches: one query after the shape."""
    through, filing = _shape(organization_id)
    above = {unit: through[unit] for unit in filing}
    accepted = dict(
        StatisticsReturn.objects.filter(organization_id__in=above, year=year, status=StatisticsReturn.Status.ACCEPTED)
        .values_list("organization_id", "pk")
    )
    counted: dict[int, bool] = {}

    def counts(unit_id: int) -> bool:
        if unit_id == organization_id:
            return True
        if unit_id not in counted:
            counted[unit_id] = unit_id in accepted and counts(above[unit_id])
        return counted[unit_id]

    counted = {unit for unit in above if counts(unit)} | {organization_id}
    return _Below(accepted, counted, [unit for unit in above if unit not in accepted and above[unit] in counted])


def _units(ids) -> list[Organization]:
    return list(Organization.objects.filter(pk__in=ids).order_by("kind", "order", "name"))


def missing_below(organization_id: int, year: int) -> list[Organization]:
    """The filing units below whose return is not accepted while all above them are: what the
    roll-up lacks (nothing below them is counted either). Cheaper than ``roll_up``: no
    figure is counted."""
    return _units(_below(organization_id, year).missing)


def roll_up(organization_id: int, year: int) -> RollUp:
    """The unit's return summed with its subtree's accepted returns (by table code and 行次,
    since a unit and a 学会 below it file different tables). A filing unit below whose return
    is not accepted is missing, and nothing of it or below it is counted.

    A handful of queries whatever the size of the tree: the tree's shape, the accepted
    returns below and their figures in one read each, and the unit's own items."""
    organization = Organization.objects.get(pk=organization_id)
    items = list(items_for(organization, year))
    own_return = StatisticsReturn.objects.filter(organization=organization, year=year).first()
    stored = dict(own_return.values.values_list("item_id", "value")) if own_return else {}
    if own_return is not None and own_return.status == StatisticsReturn.Status.ACCEPTED:
        own = {item.pk: stored.get(item.pk, Decimal(0)) for item in items}
    else:
        computed = own_figures(organization, year)
        own = {item.pk: computed[item.pk] if item.is_computed else stored.get(item.pk, Decimal(0)) for item in items}

    below = _below(organization.pk, year)
    totals = dict(own)
    by_key = {(item.table.code, item.code): item.pk for item in items}
    key_of = {pk: (table, code) for pk, table, code in
              ReturnItem.objects.filter(table__year=year).values_list("pk", "table__code", "code")}
    rows = ReturnValue.objects.filter(statistics_return_id__in=[pk for unit, pk in below.accepted.items() if unit in below.counted])
    for item_id, number in rows.values_list("item_id", "value"):
        mine = by_key.get(key_of.get(item_id))
        if mine is not None:
            totals[mine] += number
    return RollUp(totals, own, _units(below.missing))
