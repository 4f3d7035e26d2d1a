"""The migration that made a volunteer's 职称级别 the shared number keeps every stored value.

It runs inside the test's transaction (PostgreSQL rolls the schema changes back with it),
so the test database is left as it was.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from association.choices import TitleLevel

pytestmark = pytest.mark.django_db

TEXT = [("volunteers", "0003_approved_ids_index")]
NUMBER = [("volunteers", "0004_title_level_numbers")]
STORED = {"正高": "senior", "副高": "associate", "中级": "intermediate", "初级": "junior", "无职称": "none", "未填": ""}


def migrate(targets):
    """The models as they were at ``targets``, after migrating the database there."""
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit; PostgreSQL alters no table with such checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def levels(apps) -> dict:
    return dict(apps.get_model("volunteers", "Volunteer").objects.values_list("name", "title_level"))


def test_text_levels_become_the_shared_numbers_and_come_back_when_reversed():
    Volunteer = migrate(TEXT).get_model("volunteers", "Volunteer")
    Volunteer.objects.bulk_create(Volunteer(name=name, gender="M", title_level=text) for name, text in STORED.items())

    assert levels(migrate(NUMBER)) == {
        "正高": TitleLevel.SENIOR, "副高": TitleLevel.ASSOCIATE, "中级": TitleLevel.INTERMEDIATE,
        "初级": TitleLevel.JUNIOR, "无职称": TitleLevel.NONE, "未填": None,
    }
    assert levels(migrate(TEXT)) == STORED
