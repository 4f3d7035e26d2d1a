"""Existing demands are collected by their county's 科协 (or park 科协), else the city association."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def assign(apps, schema_editor):
    Organization = apps.get_model("association", "Organization")
    TechDemand = apps.get_model("talents", "TechDemand")
    city = (
        Organization.objects.filter(kind="association", parent__isnull=True)
        .order_by("order", "id").values_list("pk", flat=True).first()
    )
    if city is None:
        return  # a new database: nothing to assign yet
    county_unit = (
        Organization.objects.filter(kind__in=["county", "park"], county_id=OuterRef("county_id"))
        .order_by("kind", "order", "id").values("pk")[:1]
    )
    TechDemand.objects.filter(collected_by__isnull=True, county__isnull=False).update(collected_by_id=Subquery(county_unit))
    TechDemand.objects.filter(collected_by__isnull=True).update(collected_by_id=city)


class Migration(migrations.Migration):
    dependencies = [("talents", "0005_demand_collected_by"), ("association", "0011_assign_owners")]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop)]
