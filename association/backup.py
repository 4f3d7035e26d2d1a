"""Backup and restore of the database and the uploaded files.

A backup is a folder: ``db.dump`` (pg_dump custom format), ``files.tar.gz`` (public and
private uploads) and ``manifest.json`` (row counts of every table, to check a restore).
"""

import json
import os
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connection


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db: dict) -> list[str]:
    return ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]


def table_counts(conn) -> dict[str, int]:
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cur.fetchall()]
        counts = {}
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]
    return counts


def backup(target_dir: Path) -> Path:
    db = connection.settings_dict
    folder = Path(target_dir) / f"kx-backup-{datetime.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(folder / "db.dump"), *_pg_args(db), db["NAME"]],
        env=_pg_env(db), check=True,
    )
    with tarfile.open(folder / "files.tar.gz", "w:gz") as tar:
        for name, root in (("media", settings.MEDIA_ROOT), ("private_media", settings.PRIVATE_MEDIA_ROOT)):
            if Path(root).exists():
                tar.add(root, arcname=name)
    connection.ensure_connection()
    manifest = {"created": datetime.now().isoformat(), "database": db["NAME"], "tables": table_counts(connection.connection)}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return folder


def restore(folder: Path, *, database: str, media_root: Path, private_media_root: Path) -> dict:
    """Restore into ``database`` (created; must not exist) and the given file roots.

    Returns {table: (expected, found)} for every table whose count differs (empty: all found).
    """
    folder = Path(folder)
    db = connection.settings_dict
    admin = psycopg2.connect(dbname="postgres", host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                             user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{database}" ENCODING \'UTF8\' TEMPLATE template0')
    admin.close()
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", database, *_pg_args(db), str(folder / "db.dump")],
        env=_pg_env(db), check=True,
    )
    with tarfile.open(folder / "files.tar.gz") as tar:
        for member in tar.getmembers():
            top, _sep, rest = member.name.partition("/")
            root = {"media": media_root, "private_media": private_media_root}.get(top)
            if root is None or not rest or member.issym() or member.islnk():
                continue
            member.name = rest
            tar.extract(member, path=root, filter="data")
    expected = json.loads((folder / "manifest.json").read_text())["tables"]
    restored = psycopg2.connect(dbname=database, host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                                user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None)
    try:
        found = table_counts(restored)
    finally:
        restored.close()
    return {t: (n, found.get(t)) for t, n in expected.items() if found.get(t) != n}
