"""Every volunteer gets a managing unit: the unit of the first team they belong to, else
their county's 科协, else the city association; a team with no unit becomes the city's."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def assign(apps, schema_editor):
    Organization = apps.get_model("association", "Organization")
    Volunteer = apps.get_model("volunteers", "Volunteer")
    Membership = apps.get_model("volunteers", "Membership")
    ServiceTeam = apps.get_model("volunteers", "ServiceTeam")
    city = (
        Organization.objects.filter(kind="association", parent__isnull=True)
        .order_by("order", "id").values_list("pk", flat=True).first()
    )
    if city is None:
        return  # a new database: nothing to assign yet
    ServiceTeam.objects.filter(organization__isnull=True).update(organization_id=city)
    team_unit = (
        Membership.objects.filter(volunteer=OuterRef("pk"), team__organization__isnull=False)
        .order_by("id").values("team__organization")[:1]
    )
    Volunteer.objects.filter(unit__isnull=True).update(unit_id=Subquery(team_unit))
    county_unit = (
        Organization.objects.filter(kind__in=["county", "park"], county_id=OuterRef("county_id"))
        .order_by("kind", "order", "id").values("pk")[:1]
    )
    Volunteer.objects.filter(unit__isnull=True, county__isnull=False).update(unit_id=Subquery(county_unit))
    Volunteer.objects.filter(unit__isnull=True).update(unit_id=city)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0005_volunteer_unit"), ("association", "0011_assign_owners")]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop)]
