"""Counting the rows a block of code writes, to hold pages that are only read to writing
nothing: ``with count_writes() as writes: client.get(url)`` then ``assert not writes``."""

from collections import Counter
from contextlib import contextmanager

from django.db import connection


def table_writes() -> Counter:
    """Rows inserted, updated or deleted so far by this connection's current transaction,
    per table, as PostgreSQL counts them (``pg_stat_xact_user_tables``).

    The counters are the transaction's own: read from the backend's pending statistics
    (no snapshot to clear, no delay), they include rows written in savepoints that were
    rolled back, and only grow while the transaction lasts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return Counter(dict(cursor.fetchall()))


@contextmanager
def count_writes():
    """Leaves in the yielded Counter the rows the block wrote, per table; empty when it
    wrote nothing.

    Needs the test's transaction (``django_db`` without ``transaction=True``): outside one,
    PostgreSQL forgets each statement's counts when it ends and everything would look
    read-only. Writes by other connections (a worker, a thread) are not seen."""
    assert connection.in_atomic_block, "count_writes() needs a test inside a transaction"
    writes = Counter()
    before = table_writes()
    yield writes
    after = table_writes()
    writes.update({table: n - before[table] for table, n in after.items() if n > before[table]})
