"""属地管理、逐级负责: whose work a record is, and who may see it. The rule, written once.

Every model of the portal's apps says whose work its rows are, as a class attribute
``unit_owner``:

- a path to the owning ``Organization`` (``"organiser"``, ``"event__organiser"``,
  ``"id"`` for the organisation itself): a unit's staff see the rows owned by their unit
  and by the units below it, and nothing else;
- ``SHARED``: reference data that is nobody's work (counties, award programmes, fields):
  every staff member may read it, only the city's departments are given rights to change it;
- ``CITY``: the city office's own records (the audit log, the expert registry, the
  outbox): a unit's staff see none of it whatever rights they are given.

A model that says nothing fails Django's system checks (``association.E100``), and so
does an admin of an owned model that does not go through ``admin_scoping``: scoping
cannot be forgotten when a model is added.

Staff of the city's departments hold no unit membership and keep their city-wide views,
per department, through their groups as before. ``scope(queryset, user)`` is what every
staff-facing query goes through; ``may_reach(user, obj)`` is the same rule for one object
(a file download, a page of one record).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.db.models import Model, QuerySet

SHARED = "__shared__"
CITY = "__city__"
MARKERS = (SHARED, CITY)
TREE_VERSION_KEY = "units:tree-version"
TREE_SECONDS = 600


def owner_path(model: type[Model]) -> str | None:
    """The model's declared owner (a path, ``SHARED`` or ``CITY``); None if it declares none."""
    return getattr(model, "unit_owner", None)


def is_owned(model: type[Model]) -> bool:
    path = owner_path(model)
    return bool(path) and path not in MARKERS


# --- the tree ---------------------------------------------------------------------------


def _tree_version() -> int:
    version = cache.get(TREE_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(TREE_VERSION_KEY, version, None)
    return version


def tree_changed(**_kwargs) -> None:
    """Forget every cached subtree (an organisation was added, moved or removed)."""
    try:
        cache.incr(TREE_VERSION_KEY)
    except ValueError:
        cache.set(TREE_VERSION_KEY, 2, None)


def _walk_down(organization_id: int, *, from_children: bool) -> list[tuple[int, int]]:
    """(unit, top) for the units under ``organization_id`` at any depth, ``top`` being the
    unit the walk started from: the organisation itself, or each of its children."""
    from .models import Organization

    table = connection.ops.quote_name(Organization._meta.db_table)
    anchor = "parent_id" if from_children else "id"
    with connection.cursor() as cursor:
        # UNION (not UNION ALL) stops at a unit already seen, so a loop in the data cannot
        # run away.
        cursor.execute(
            f"WITH RECURSIVE tree(id, top) AS (SELECT id, id FROM {table} WHERE {anchor} = %s "
            f"UNION SELECT o.id, t.top FROM {table} o JOIN tree t ON o.parent_id = t.id) SELECT id, top FROM tree",
            [organization_id],
        )
        return cursor.fetchall()


def cached_per_tree(key: str, make):
    """``make()``, cached until the tree changes (for anything read off the tree's shape)."""
    key = f"units:{key}:v{_tree_version()}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, TREE_SECONDS)
    return found


def subtree_ids(organization_id: int) -> frozenset[int]:
    """The organisation and every unit below it, at any depth (one recursive query, cached
    until the tree changes)."""
    return cached_per_tree(f"subtree:{organization_id}",
                   lambda: frozenset(unit for unit, _top in _walk_down(organization_id, from_children=False)))


def top_below(organization_id: int) -> dict[int, int]:
    """Every unit below ``organization_id`` mapped to the unit directly below it that it falls
    under (a township to its county): one query, cached until the tree changes."""
    return cached_per_tree(f"below:{organization_id}", lambda: dict(_walk_down(organization_id, from_children=True)))


def ancestor_ids(organization_id: int) -> list[int]:
    """The units above, nearest first (for breadcrumbs and "never above" checks)."""
    from .models import Organization

    out, seen = [], {organization_id}
    parent = Organization.objects.filter(pk=organization_id).values_list("parent_id", flat=True).first()
    while parent and parent not in seen:
        out.append(parent)
        seen.add(parent)
        parent = Organization.objects.filter(pk=parent).values_list("parent_id", flat=True).first()
    return out


def city_unit_id() -> int | None:
    """The city association at the root of the tree: the owner of what has no better one."""
    def find():
        from .models import Organization

        return (
            Organization.objects.filter(kind=Organization.Kind.ASSOCIATION, parent__isnull=True)
            .order_by("order", "id").values_list("pk", flat=True).first()
        ) or 0

    return cached_per_tree("city", find) or None


# --- who works where ----------------------------------------------------------------------


def membership_of(user):
    """The user's unit membership, or None for the city's own staff and everyone else.
    Asked many times in a request: the answer is kept on the request's user."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user._unit_membership
    except AttributeError:
        from .models import UnitMembership

        user._unit_membership = found = (
            UnitMembership.objects.select_related("organization").filter(user_id=user.pk).first()
        )
        return found


def unit_of(user):
    """The organisation whose staff the user is, or None (city-wide, as the groups allow)."""
    membership = membership_of(user)
    if membership is None or user.is_superuser:
        return None
    return membership.organization


def is_unit_staff(user) -> bool:
    return unit_of(user) is not None


def is_unit_admin(user) -> bool:
    membership = membership_of(user)
    return membership is not None and not user.is_superuser and membership.is_admin


def reachable_unit_ids(user) -> frozenset[int] | None:
    """The units whose work the user may see, or None for no limit."""
    unit = unit_of(user)
    return None if unit is None else subtree_ids(unit.pk)


# --- the rule -----------------------------------------------------------------------------


def scope(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` the user may see: all of them for the city's staff, their
    unit's subtree for a unit's staff, none of the city's own records."""
    return within(queryset, reachable_unit_ids(user))


def scope_to_unit(queryset: QuerySet, unit_id: int | None) -> QuerySet:
    """The rows a unit's work covers (a unit's report, a unit's figures); all for None."""
    return within(queryset, None if unit_id is None else subtree_ids(unit_id))


def within(queryset: QuerySet, ids: frozenset[int] | None) -> QuerySet:
    if ids is None:
        return queryset
    path = owner_path(queryset.model)
    if path == SHARED:
        return queryset
    if not path or path == CITY:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": ids})


def owner_id(obj: Model) -> int | None:
    """The id of the organisation that owns ``obj`` (following its declared path)."""
    path = owner_path(type(obj))
    if not path or path in MARKERS:
        return None
    *steps, last = path.split("__")
    target = obj
    for step in steps:
        target = getattr(target, step, None)
        if target is None:
            return None
    if last in ("id", "pk"):
        # A unit not yet saved belongs where it is being put: under its parent.
        return target.pk if target.pk is not None else getattr(target, "parent_id", None)
    return getattr(target, f"{last}_id", None)


def may_reach(user, obj: Model) -> bool:
    """May the user see ``obj`` under the scoping rule (rights are checked apart)?"""
    ids = reachable_unit_ids(user)
    if ids is None:
        return True
    path = owner_path(type(obj))
    if path == SHARED:
        return True
    if not path or path == CITY:
        return False
    return owner_id(obj) in ids
