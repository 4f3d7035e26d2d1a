"""Existing news belongs to the city association (the publishing unit of what has no better one)."""

from django.db import migrations


def city_id(apps):
    Organization = apps.get_model("association", "Organization")
    return (
        Organization.objects.filter(kind="association", parent__isnull=True)
        .order_by("order", "id").values_list("pk", flat=True).first()
    )


def assign(apps, schema_editor):
    city = city_id(apps)
    if city is None:
        return  # a new database: nothing to assign yet
    apps.get_model("association", "Article").objects.filter(unit__isnull=True).update(unit_id=city)


class Migration(migrations.Migration):
    dependencies = [("association", "0010_unit_accounts")]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop)]
