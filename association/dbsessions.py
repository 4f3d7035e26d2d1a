"""Server-side time-outs for the connections of the processes that serve: the web workers
and the Celery workers.

Those processes check their connection at the start of every request or task
(``CONN_HEALTH_CHECKS``), so the server may close one that has idled past ``CONN_MAX_AGE``
(+15 s): after a rush the connections go back to their quiet level within a minute, and a
worker that stalls never holds one for good. A transaction left open for a minute is
ended too, so no stuck process keeps an event's row locked against sign-ups.

Scripts, shells and management commands are left alone: they hold no request boundary at
which a closed connection would be noticed and opened again.
"""

from django.conf import settings
from django.db.backends.signals import connection_created

IDLE_IN_TRANSACTION_SECONDS = 60


def _set_timeouts(sender, connection, **kwargs):
    if connection.vendor != "postgresql":
        return
    idle = (settings.CONN_MAX_AGE + 15) * 1000
    with connection.cursor() as cursor:
        cursor.execute(
            f"SET idle_session_timeout = {int(idle)}; "
            f"SET idle_in_transaction_session_timeout = {IDLE_IN_TRANSACTION_SECONDS * 1000}"
        )


def enable_server_timeouts() -> bool:
    """Called by the web (wsgi) and worker processes as they start; a no-op when
    ``DATABASE_SERVER_TIMEOUTS`` is off (PgBouncer, tests)."""
    if not settings.DATABASE_SERVER_TIMEOUTS:
        return False
    connection_created.connect(_set_timeouts, dispatch_uid="association-dbsessions-timeouts")
    return True
