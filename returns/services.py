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

from django.core.cache import cache
from django.db import transaction

from association import extensions, scoping
from association.models import Organization

from .models import ReturnItem, ReturnTable, ReturnValue, StatisticsReturn

K = Organization.Kind
FILING_KINDS = (K.ASSOCIATION, K.COUNTY_ASSOCIATION, K.SOCIETY)


def files_a_return(organization: Organization) -> bool:
    return organization.kind in FILING_KINDS and (organization.kind != K.ASSOCIATION or organization.parent_id is None)


@dataclass
class Reach:
    """The units whose work is the filing unit's own, and the filing units directly below it."""

    own: frozenset[int]
    filing_below: list[int] = field(default_factory=list)


def reach(organization_id: int) -> Reach:
    """One query for the subtree's shape, cached until the tree changes."""

    def find():
        ids = scoping.subtree_ids(organization_id)
        rows = Organization.objects.filter(pk__in=ids).values_list("pk", "parent_id", "kind")
        children: dict[int, list[tuple[int, str]]] = {}
        for pk, parent, kind in rows:
            children.setdefault(parent, []).append((pk, kind))
        own, filing, stack = {organization_id}, [], [organization_id]
        while stack:
            for pk, kind in children.get(stack.pop(), []):
                if kind in (K.COUNTY_ASSOCIATION, K.SOCIETY):
                    filing.append(pk)
                else:
                    own.add(pk)
                    stack.append(pk)
        return Reach(frozenset(own), sorted(filing))

    key = f"returns:reach:v{scoping._tree_version()}:{organization_id}"
    found = cache.get(key)
    if found is None:
        found = find()
        cache.set(key, found, scoping.TREE_SECONDS)
    return found


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


def _shape(organization_id: int) -> tuple[dict[int, int], dict[int, str]]:
    """For every filing unit below ``organization_id``: the filing unit directly above it
    (its nearest filing ancestor), and its kind. One query, cached until the tree changes."""

    def find():
        ids = scoping.subtree_ids(organization_id)
        rows = list(Organization.objects.filter(pk__in=ids).values_list("pk", "parent_id", "kind"))
        children: dict[int, list[tuple[int, str]]] = {}
        for pk, parent, kind in rows:
            children.setdefault(parent, []).append((pk, kind))
        above, kinds = {}, {}
        stack = [(organization_id, organization_id)]
        while stack:
            node, filer = stack.pop()
            for pk, kind in children.get(node, []):
                if kind in (K.COUNTY_ASSOCIATION, K.SOCIETY):
                    above[pk], kinds[pk] = filer, kind
                    stack.append((pk, pk))
                else:
                    stack.append((pk, filer))
        return above, kinds

    key = f"returns:shape:v{scoping._tree_version()}:{organization_id}"
    found = cache.get(key)
    if found is None:
        found = find()
        cache.set(key, found, scoping.TREE_SECONDS)
    return found


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

    above, _kinds = _shape(organization.pk)
    accepted = dict(
        StatisticsReturn.objects.filter(organization_id__in=above, year=year, status=StatisticsReturn.Status.ACCEPTED)
        .values_list("organization_id", "pk")
    )
    # A unit counts when it and every filing unit between it and this one are accepted.
    counted: dict[int, bool] = {}

    def counts(unit_id: int) -> bool:
        if unit_id == organization.pk:
            return True
        if unit_id not in counted:
            counted[unit_id] = unit_id in accepted and counts(above[unit_id])
        return counted[unit_id]

    totals = dict(own)
    by_key = {(item.table.code, item.code): item.pk for item in items}
    key_of = {pk: (table, code) for pk, table, code in
              ReturnItem.objects.filter(table__year=year).values_list("pk", "table__code", "code")}
    rows = ReturnValue.objects.filter(statistics_return_id__in=[pk for unit, pk in accepted.items() if counts(unit)])
    for item_id, number in rows.values_list("item_id", "value"):
        mine = by_key.get(key_of.get(item_id))
        if mine is not None:
            totals[mine] += number
    missing_ids = [unit for unit in above if unit not in accepted and counts(above[unit])]
    missing = list(Organization.objects.filter(pk__in=missing_ids).order_by("kind", "order", "name"))
    return RollUp(totals, own, missing)
