"""A volunteer's 职称级别 becomes the number the talent registry uses (association.choices.TitleLevel).

Every stored value is kept: the text codes map to the numbers one for one, an empty level
becomes NULL, and the reverse maps back.
"""

from django.db import migrations, models
from django.db.models import Case, Value, When

LEVEL_CHOICES = [(1, "正高级"), (2, "副高级"), (3, "中级"), (4, "初级"), (9, "无职称")]
# The text codes the column held, and the number each one is now.
NUMBER_OF = {"senior": 1, "associate": 2, "intermediate": 3, "junior": 4, "none": 9}
TEXT_OF = {number: text for text, number in NUMBER_OF.items()}


def text_to_number(apps, schema_editor):
    Volunteer = apps.get_model("volunteers", "Volunteer")
    Volunteer.objects.update(title_level_number=Case(
        *(When(title_level=text, then=Value(number)) for text, number in NUMBER_OF.items()), default=None,
    ))


def number_to_text(apps, schema_editor):
    Volunteer = apps.get_model("volunteers", "Volunteer")
    Volunteer.objects.update(title_level=Case(
        *(When(title_level_number=number, then=Value(text)) for number, text in TEXT_OF.items()), default=Value(""),
    ))


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0003_approved_ids_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='volunteer',
            name='title_level_number',
            field=models.PositiveSmallIntegerField(blank=True, choices=LEVEL_CHOICES, null=True, verbose_name='职称级别'),
        ),
        migrations.RunPython(text_to_number, number_to_text),
        migrations.RemoveField(
            model_name='volunteer',
            name='title_level',
        ),
        migrations.RenameField(
            model_name='volunteer',
            old_name='title_level_number',
            new_name='title_level',
        ),
        # The index comes last, so that its name follows the column's final name.
        migrations.AlterField(
            model_name='volunteer',
            name='title_level',
            field=models.PositiveSmallIntegerField(blank=True, choices=LEVEL_CHOICES, db_index=True, null=True, verbose_name='职称级别'),
        ),
    ]
