"""Helpers the services share: locking the event row and queueing follow-up work."""

import logging

from django.db import connection, transaction

from ..models import Event

logger = logging.getLogger("events")

# How long a sign-up waits for the event row before telling the person to try again.
LOCK_TIMEOUT = "8s"


def lock_event(event_id) -> Event:
    """Take the event row for the rest of the transaction: the guard of its seats."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    return Event.objects.select_for_update().get(pk=event_id)


def enqueue(task, *args) -> None:
    """Send ``task`` to Celery once the transaction commits; a broker outage is logged,
    never shown to the person who pressed the button (their change is already saved)."""

    def send():
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 - the broker's own errors vary by transport
            logger.exception("could not enqueue %s%r", task.name, args)

    transaction.on_commit(send)
