"""Sending work to Celery through a transactional outbox.

``enqueue(task, *args)`` writes an ``OutboxMessage`` row in the caller's transaction (in a
transaction of its own when there is none), so the task exists exactly when the change
that asks for it does: a rollback takes both away, a commit keeps both, and a process that
dies right after the commit loses nothing.

Two senders, one row each:

- the fast path: once the transaction commits, the same process sends the row at once and
  marks it sent, so a task leaves as soon as it did before the outbox;
- the relay, ``flush_outbox`` (the ``association.flush_outbox`` task, run by beat every few
  seconds and whenever a worker starts): it sends what the fast path left, because the
  process died between commit and send or because the broker (Redis) did not answer.

They never both send a row: each takes it with ``FOR UPDATE SKIP LOCKED`` and keeps the
lock until the row is marked sent, and the periodic relay leaves rows younger than
``RELAY_AFTER_SECONDS`` to the fast path. A sender that dies after the broker took a task
but before its mark is committed leaves the row to be sent again, so tasks take ids and
are safe to run twice.

While the broker does not answer, requests still succeed at once: the row waits, and for
``PAUSE_AFTER_FAILURE`` seconds after a failed send this process does not try again.
"""

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models.outbox import OutboxMessage

logger = logging.getLogger(__name__)
BROKER_ERRORS = (BrokerError, ConnectionError, OSError, TimeoutError)
# After a failed send, this process leaves new rows to the relay for a while instead of
# making every request wait for the broker's connection timeout again.
PAUSE_AFTER_FAILURE = 5.0
SEND_TIMEOUT = 1.0
# The periodic relay leaves younger rows to the fast path of the process that wrote them.
RELAY_AFTER_SECONDS = 5.0
RELAY_BATCH = 500
_broker_down_until = 0.0


def _send(task_name: str, args: list, kwargs: dict) -> None:
    # The Celery app the project configured (the core knows no project package).
    from celery import current_app as app

    with app.producer_or_acquire() as producer:
        # Give up within about a second when the broker is down, instead of kombu retrying
        # for its whole connect timeout while the person's request waits: the row stays in
        # the outbox and the page answers.
        producer.connection.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.2, timeout=SEND_TIMEOUT
        )
        app.send_task(task_name, args=args, kwargs=kwargs, retry=False, producer=producer)


def _note_failure(message_ids, exc: Exception) -> None:
    global _broker_down_until
    _broker_down_until = time.monotonic() + PAUSE_AFTER_FAILURE
    OutboxMessage.objects.filter(pk__in=message_ids, sent_at__isnull=True).update(
        attempts=F("attempts") + 1, last_error=str(exc)[:500]
    )


def _send_now(message_id: int, task_name: str, args: list, kwargs: dict) -> None:
    """The fast path, run after the commit that wrote the row."""
    if time.monotonic() < _broker_down_until:
        return  # the relay sends it once the broker answers
    try:
        with transaction.atomic():
            # One statement takes the row (skipping it when the relay holds it) and marks
            # it sent; the mark is committed only if the broker took the task.
            claimed = OutboxMessage.objects.filter(
                pk__in=OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, sent_at__isnull=True)
                .order_by()
                .values("pk")
            ).update(sent_at=Now())
            if claimed:
                _send(task_name, args, kwargs)
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable, task %s left to the outbox relay: %s", task_name, type(exc).__name__)
        _note_failure([message_id], exc)


def enqueue(task, *args, **kwargs) -> None:
    """Keep ``task`` with these arguments in the current transaction; send it once that
    transaction commits."""
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task_name=name, args=list(args), kwargs=dict(kwargs))
    # robust: whatever goes wrong in the fast path, the change is committed and the row is
    # the relay's to send; the person's request is not failed for it.
    transaction.on_commit(
        lambda: _send_now(message.pk, message.task_name, message.args, message.kwargs), robust=True
    )


def _flush_batch(limit: int, older_than) -> tuple[int, bool]:
    """Send one batch; returns (rows sent, whether the broker failed)."""
    sent_ids = []
    with transaction.atomic():
        waiting = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, created__lte=older_than)
            .order_by("created")
            .only("task_name", "args", "kwargs")[:limit]
        )
        failed = False
        for message in waiting:
            try:
                _send(message.task_name, message.args, message.kwargs)
            except BROKER_ERRORS as exc:
                logger.warning("broker unavailable, outbox relay stopped: %s", type(exc).__name__)
                _note_failure([message.pk], exc)
                failed = True
                break
            sent_ids.append(message.pk)
        if sent_ids:
            OutboxMessage.objects.filter(pk__in=sent_ids).update(sent_at=timezone.now())
    return len(sent_ids), failed or len(waiting) < limit


def flush_outbox(limit: int = RELAY_BATCH, min_age: float = RELAY_AFTER_SECONDS) -> int:
    """The relay: send what waits in the outbox (rows older than ``min_age`` seconds);
    returns how many went out."""
    global _broker_down_until
    _broker_down_until = 0.0
    older_than = timezone.now() - timedelta(seconds=min_age)
    total = 0
    while True:
        sent, done = _flush_batch(limit, older_than)
        total += sent
        if done:
            return total
