"""The units' data exchange reads volunteers changed since the last sync, in (updated, id) order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("volunteers", "0009_checkin"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="volunteer",
            index=models.Index(fields=["updated", "id"], name="volunteer_updated_id"),
        ),
    ]
