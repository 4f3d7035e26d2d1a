"""What the services share: locking the event row, the guard of its seats."""

from django.db import connection

from ..models import Event

# How long a sign-up waits for the event row before telling the person to try again.
LOCK_TIMEOUT = "8s"


def lock_event(event_id) -> Event:
    """Take the event row for the rest of the transaction: the guard of its seats."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    return Event.objects.select_for_update().get(pk=event_id)
