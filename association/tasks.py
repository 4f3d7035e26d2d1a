"""Celery tasks of the core."""

from celery import shared_task
from celery.signals import worker_ready

from . import queue


@shared_task(name="association.flush_outbox", acks_late=True, time_limit=120, soft_time_limit=100)
def flush_outbox():
    return queue.flush_outbox()


@worker_ready.connect
def _flush_on_start(sender=None, **kwargs):
    # A worker coming back after an outage sends what waited meanwhile.
    flush_outbox.delay()
