"""Opening the two-step enrolment page used to store an unconfirmed device at once. The
page now keeps the key in the session until a code confirms it; the rows the old page
left behind (never confirmed, never used to log in) are removed here."""

from django.db import migrations


def remove_unconfirmed(apps, schema_editor):
    apps.get_model("otp_totp", "TOTPDevice").objects.filter(confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0008_retention_run"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(remove_unconfirmed, migrations.RunPython.noop)]
