"""A backup restores into a fresh database with every record and file."""

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from association.models import AuditEntry, Organization
from tests.association.factories import OrganizationFactory

RESTORED = "test_restore_check"


@pytest.fixture
def fresh_database_name():
    def drop():
        conn = psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')
        conn.close()

    drop()
    yield RESTORED
    drop()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_every_record(tmp_path, settings, fresh_database_name):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (settings.MEDIA_ROOT / "news").mkdir(parents=True)
    (settings.MEDIA_ROOT / "news" / "cover.jpg").write_bytes(b"jpeg-bytes")
    (settings.PRIVATE_MEDIA_ROOT / "reports").mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "reports" / "2025.xlsx").write_bytes(b"xlsx-bytes")
    orgs = OrganizationFactory.create_batch(25)
    AuditEntry.objects.create(action=AuditEntry.Action.CHANGE, object_repr="测试")

    call_command("backup", str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    call_command(
        "restore", str(folder), database=fresh_database_name,
        media_root=str(tmp_path / "restored-media"), private_media_root=str(tmp_path / "restored-private"),
    )

    conn = psycopg2.connect(dbname=fresh_database_name, host="127.0.0.1", user="postgres")
    with conn.cursor() as cur:
        cur.execute("SELECT name FROM association_organization ORDER BY id")
        assert [row[0] for row in cur.fetchall()] == [o.name for o in Organization.objects.order_by("id")]
        cur.execute("SELECT count(*) FROM association_auditentry")
        assert cur.fetchone()[0] == 1
    conn.close()
    assert len(orgs) == 25
    assert (tmp_path / "restored-media" / "news" / "cover.jpg").read_bytes() == b"jpeg-bytes"
    assert (tmp_path / "restored-private" / "reports" / "2025.xlsx").read_bytes() == b"xlsx-bytes"
    assert connection.settings_dict["NAME"] != fresh_database_name
