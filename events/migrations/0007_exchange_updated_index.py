"""The units' data exchange reads events changed since the last sync, in (updated, id) order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0006_checkin"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["updated", "id"], name="event_updated_id"),
        ),
    ]
