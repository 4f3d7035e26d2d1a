"""A broker outage loses no work: tasks wait in the outbox and go out when it is back."""

import time
from contextlib import contextmanager

import pytest
from django.db import transaction

from association import queue
from association.celery import app
from association.models import OutboxMessage, SiteSettings
from association.tasks import flush_outbox


def _reset_pools():
    # Drop (not close) the cached pools: other code may still hold the old ones.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_down():
    original = app.conf.broker_url, app.conf.broker_write_url
    _reset_pools()
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:6399/0"  # nothing listens there
    try:
        yield
    finally:
        _reset_pools()
        app.conf.broker_url, app.conf.broker_write_url = original


@pytest.mark.django_db(transaction=True)
def test_task_asked_for_while_broker_is_down_waits_in_outbox_and_is_sent_later():
    with broker_down():
        started = time.perf_counter()
        with transaction.atomic():
            SiteSettings.load()
            queue.enqueue(flush_outbox)
        elapsed = time.perf_counter() - started
    assert elapsed < 10, "the request must not hang on a dead broker"
    # the next request does not wait for the dead broker again
    with broker_down():
        started = time.perf_counter()
        queue.enqueue(flush_outbox)
        assert time.perf_counter() - started < 0.5
    assert OutboxMessage.objects.count() == 2
    OutboxMessage.objects.order_by("-created").first().delete()
    waiting = OutboxMessage.objects.get()
    assert waiting.task_name == "association.flush_outbox"
    assert waiting.sent_at is None

    assert queue.flush_outbox() == 1
    waiting.refresh_from_db()
    assert waiting.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue.enqueue(flush_outbox)
        raise RuntimeError("form failed")
    assert OutboxMessage.objects.count() == 0
