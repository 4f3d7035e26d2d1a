"""Sending work to Celery so that a broker outage loses nothing.

``enqueue(task, *args)`` sends the task once the surrounding transaction commits. If the
broker (Redis) does not answer, the request still succeeds: the task waits in the
``OutboxMessage`` table and ``flush_outbox`` (run every minute by beat and whenever a
worker starts) sends it when the broker is back. Tasks must therefore take ids and be
safe to run twice.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models.outbox import OutboxMessage

logger = logging.getLogger(__name__)
BROKER_ERRORS = (BrokerError, ConnectionError, OSError, TimeoutError)
# After a failed send, this process goes straight to the outbox for a while instead of
# making every request wait for the broker's connection timeout again.
PAUSE_AFTER_FAILURE = 30.0
_broker_down_until = 0.0


def _send(task_name: str, args: list, kwargs: dict) -> None:
    from association.celery import app

    app.send_task(task_name, args=args, kwargs=kwargs, retry=False)


def _send_or_keep(task_name: str, args: list, kwargs: dict) -> None:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        OutboxMessage.objects.create(task_name=task_name, args=args, kwargs=kwargs, last_error="broker marked unavailable")
        return
    try:
        _send(task_name, args, kwargs)
    except BROKER_ERRORS as exc:
        _broker_down_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.warning("broker unavailable, task %s kept in the outbox: %s", task_name, type(exc).__name__)
        OutboxMessage.objects.create(task_name=task_name, args=args, kwargs=kwargs, attempts=1, last_error=str(exc)[:500])


def enqueue(task, *args, **kwargs) -> None:
    """Send ``task`` with these arguments after the current transaction commits."""
    name = task if isinstance(task, str) else task.name
    transaction.on_commit(lambda: _send_or_keep(name, list(args), dict(kwargs)))


def flush_outbox(limit: int = 500) -> int:
    """Send what waits in the outbox; returns how many went out."""
    global _broker_down_until
    _broker_down_until = 0.0
    sent = 0
    with transaction.atomic():
        waiting = list(
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True).order_by("created")[:limit]
        )
        for message in waiting:
            try:
                _send(message.task_name, message.args, message.kwargs)
            except BROKER_ERRORS as exc:
                message.attempts += 1
                message.last_error = str(exc)[:500]
                message.save(update_fields=["attempts", "last_error"])
                break
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
            sent += 1
    return sent
