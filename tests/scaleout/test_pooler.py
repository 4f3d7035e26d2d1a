"""Behind PgBouncer in transaction mode (DATABASE_POOLER=1) nothing may rely on the
server session between transactions: each transaction may run on another server
connection, shared with other processes."""

import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.events.factories import EventFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("association", "volunteers", "events", "talents", "returns", "config")


def _settings_with(**env) -> dict:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(ROOT / "config" / "settings.py"))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_with_the_pooler_no_connection_is_kept_and_no_cursor_outlives_its_transaction():
    s = _settings_with(DATABASE_POOLER="1", DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:6432/kx_replica")
    for alias in ("default", "replica"):
        assert s["DATABASES"][alias]["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert s["DATABASES"][alias]["CONN_MAX_AGE"] == 0
    assert s["DATABASE_SERVER_TIMEOUTS"] is False  # no session-level SET on connecting
    plain = _settings_with(DATABASE_POOLER="0")
    assert plain["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False


# Statements that leave state in the server session (or need one for good).
SESSION_STATE = re.compile(
    r"pg_advisory_lock|pg_advisory_unlock|pg_try_advisory_lock\(|\bLISTEN\b|\bPREPARE\b|WITH HOLD|CREATE TEMP"
    r"|(?<!UPDATE )(?<![A-Za-z_])SET (?!LOCAL|CONSTRAINTS|NULL|DEFAULT)[a-z_]+ ?(=|TO)",
)


def test_the_portal_keeps_no_state_in_the_database_session():
    """Session-level SETs, advisory locks, LISTEN, prepared statements and held cursors would
    leak into another process's transactions behind PgBouncer. The one exception,
    association/dbsessions.py, is off with DATABASE_POOLER (test above)."""
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name in ("dbsessions.py", "demo_news.py"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if SESSION_STATE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
    assert SESSION_STATE.search('cursor.execute("SET statement_timeout = 5")')  # the pattern does catch one
    assert not SESSION_STATE.search('cursor.execute("SET LOCAL lock_timeout = \'8s\'")')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def pgbouncer():
    """Debian's PgBouncer in transaction mode, two server connections, in front of the test
    database (started as the user postgres: it refuses to run as root)."""
    if not shutil.which("pgbouncer"):
        # In CI (scripts/test.sh installs it) a missing PgBouncer is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)("pgbouncer is not installed: run scripts/setup.sh --browser")
    db = connection.settings_dict
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="kx-pgbouncer-"))
    (folder / "userlist.txt").write_text(f'"{db["USER"] or "postgres"}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"[databases]\n{db['NAME']} = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} dbname={db['NAME']}\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\nauth_type = trust\n"
        f"auth_file = {folder}/userlist.txt\npool_mode = transaction\ndefault_pool_size = 2\n"
        f"ignore_startup_parameters = extra_float_digits,options\n"
    )
    command = ["pgbouncer", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        for item in folder.iterdir():
            shutil.chown(item, "postgres")
        command = ["runuser", "-u", "postgres", "--", *command]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            psycopg2.connect(host="127.0.0.1", port=port, user=db["USER"] or "postgres", dbname=db["NAME"]).close()
            break
        except psycopg2.OperationalError:
            time.sleep(0.1)
    yield f"postgres://{db['USER'] or 'postgres'}@127.0.0.1:{port}/{db['NAME']}"
    os.killpg(proc.pid, 15)
    proc.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


# Reads events through Django's iterator() while another client holds the server connection
# the iteration started on: with transaction pooling the next fetch runs on the other one.
ITERATE = """
import psycopg2
from events.models import Event
rows = Event.objects.order_by("pk").iterator(chunk_size=2)
seen = [next(rows)]
other = psycopg2.connect("{url}")
cur = other.cursor()
cur.execute("SELECT 1")  # a transaction: holds the server connection used last
try:
    seen += list(rows)
    print("READ", len(seen))
except Exception as exc:
    print("FAILED", type(exc).__name__, str(exc).splitlines()[0])
other.rollback()
"""


@pytest.mark.django_db(transaction=True)
def test_a_long_read_through_pgbouncer_works_with_the_pooler_setting(pgbouncer):
    for _ in range(7):
        EventFactory()

    def run(pooler: str) -> str:
        env = {**os.environ, "DATABASE_URL": pgbouncer, "DATABASE_POOLER": pooler, "CONN_MAX_AGE": "0"}
        env.pop("TEST_DATABASE_NAME", None)
        result = subprocess.run([sys.executable, "manage.py", "shell", "-c", ITERATE.replace("{url}", pgbouncer)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        return (result.stdout + result.stderr).strip().splitlines()[-1]

    assert run("1") == "READ 7"
    # Without it Django's iterator() keeps a server-side cursor in the session, which the
    # next transaction, on the other server connection, does not have.
    assert run("0").startswith("FAILED") and "does not exist" in run("0")
