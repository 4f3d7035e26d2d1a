"""Reads of the core app."""

from django.db.models import Case, Count, IntegerField, Value, When

from .models import Organization


def organization_directory(*, kind: str = "", county_id: int | None = None, q: str = ""):
    qs = Organization.objects.active().select_related("county", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if county_id:
        qs = qs.filter(county_id=county_id)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by(kind_rank(), "order", "name")


def kind_rank():
    """The kinds in the order they are declared: the association first, enterprises last."""
    return Case(
        *(When(kind=value, then=Value(i)) for i, value in enumerate(Organization.Kind.values)),
        output_field=IntegerField(),
    )


def organization_counts_by_kind(*, county_id: int | None = None) -> list[dict]:
    """[{kind, label, count}] for every kind that has active organisations."""
    qs = Organization.objects.active()
    if county_id:
        qs = qs.filter(county_id=county_id)
    counts = dict(qs.values_list("kind").annotate(n=Count("id")).order_by())
    return [
        {"kind": value, "label": label, "count": counts[value]}
        for value, label in Organization.Kind.choices
        if counts.get(value)
    ]
