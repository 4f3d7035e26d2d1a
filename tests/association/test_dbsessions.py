"""The web and Celery worker processes ask PostgreSQL to close their idle connections and
stale transactions; scripts and shells do not (nothing there would reopen them)."""

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from association import dbsessions

pytestmark = pytest.mark.django_db


def _server_settings(conn) -> tuple[str, str]:
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('idle_session_timeout'), current_setting('idle_in_transaction_session_timeout')")
        return cursor.fetchone()


@pytest.fixture
def fresh_connection():
    other = connection.copy()
    yield other
    other.close()
    connection_created.disconnect(dispatch_uid="association-dbsessions-timeouts")


def test_a_serving_process_has_its_idle_connection_closed_by_the_server(settings, fresh_connection):
    settings.DATABASE_SERVER_TIMEOUTS = True
    settings.CONN_MAX_AGE = 30
    assert dbsessions.enable_server_timeouts()
    assert _server_settings(fresh_connection) == ("45s", "1min")


def test_nothing_is_set_when_the_timeouts_are_off(settings, fresh_connection):
    settings.DATABASE_SERVER_TIMEOUTS = False  # behind PgBouncer, or a script
    assert not dbsessions.enable_server_timeouts()
    assert _server_settings(fresh_connection) == ("0", "0")
