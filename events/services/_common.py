"""Helpers the services share: locking the event row and queueing follow-up work."""

from django.db import connection

from association import queue

from ..models import Event

# How long a sign-up waits for the event row before telling the person to try again.
LOCK_TIMEOUT = "8s"


def lock_event(event_id) -> Event:
    """Take the event row for the rest of the transaction: the guard of its seats."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    return Event.objects.select_for_update().get(pk=event_id)


def enqueue(task, *args) -> None:
    """Send ``task`` to Celery once the transaction commits. A broker outage is never shown
    to the person who pressed the button: the task waits in the core's outbox and goes out
    when the broker is back (``association.queue``)."""
    queue.enqueue(task, *args)
