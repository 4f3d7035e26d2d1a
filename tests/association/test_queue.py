"""The outbox: a task is kept in the same transaction as the change that asks for it, is
sent at once after the commit, waits while the broker is down, and is never sent twice by
the fast path and the relay (the process killed between commit and send is in
tests/hardening/test_outbox_crash.py)."""

import datetime
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.utils import timezone

from association import queue
from association.models import OutboxMessage, SiteSettings
from association.tasks import flush_outbox
from config.celery import app


def _reset_pools():
    # Drop (not close) the cached pools: other code may still hold the old ones.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _broker_not_marked_down():
    yield
    queue._broker_down_until = 0.0


def _age(message, seconds=60):
    OutboxMessage.objects.filter(pk=message.pk).update(created=timezone.now() - datetime.timedelta(seconds=seconds))


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

    assert queue.flush_outbox() == 0, "the relay leaves a row this young to the process that wrote it"
    _age(waiting)
    assert queue.flush_outbox() == 1
    waiting.refresh_from_db()
    assert waiting.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue.enqueue(flush_outbox)
        raise RuntimeError("form failed")
    assert OutboxMessage.objects.count() == 0


# A housekeeping task the session worker (when it runs) does quickly and harmlessly; not
# the relay itself, which would race the relays these tests start.
HARMLESS = "association.sweep_report_jobs"


@pytest.mark.django_db(transaction=True)
def test_the_task_is_written_in_the_transaction_of_the_change_and_sent_at_commit():
    with transaction.atomic():
        site = SiteSettings.load()
        site.save()  # the change that asks for the task
        queue.enqueue(HARMLESS)
        kept = OutboxMessage.objects.get()
        assert kept.sent_at is None  # written with the change, not sent before the commit
    site.refresh_from_db()
    kept.refresh_from_db()
    assert kept.sent_at is not None, "the process that committed sends the task at once"
    assert kept.attempts == 0
    assert queue.flush_outbox(min_age=0) == 0  # nothing is left for the relay


class SendGate:
    """Wraps the real send: records who sent what and holds one thread inside the send
    (its row lock held) until released."""

    def __init__(self, monkeypatch, hold_thread: str):
        self.sent = []
        self.holding = threading.Event()
        self.release = threading.Event()
        self.hold_thread = hold_thread
        self.real_send = queue._send
        monkeypatch.setattr(queue, "_send", self)

    def __call__(self, task_name, args, kwargs):
        name = threading.current_thread().name
        if name == self.hold_thread:
            self.holding.set()
            assert self.release.wait(20)
        self.real_send(task_name, args, kwargs)
        self.sent.append((name, args))


def _in_thread(name, func, results):
    def run():
        try:
            results[name] = func()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_the_relay_skips_a_row_the_fast_path_is_sending(monkeypatch):
    gate = SendGate(monkeypatch, hold_thread="web")
    results = {}
    web = _in_thread("web", lambda: queue.enqueue(HARMLESS, 1), results)  # no transaction: its own
    assert gate.holding.wait(10)
    started = time.perf_counter()
    assert queue.flush_outbox(min_age=0) == 0  # the relay of a worker starting right now
    assert time.perf_counter() - started < 2, "the relay must not wait for the web process's row"
    gate.release.set()
    web.join(10)
    assert gate.sent == [("web", [1])]
    assert OutboxMessage.objects.get().sent_at is not None
    assert queue.flush_outbox(min_age=0) == 0


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_send_each_row_once(monkeypatch):
    queue._broker_down_until = time.monotonic() + 60  # the fast path leaves these to the relay
    for n in range(3):
        queue.enqueue(HARMLESS, n)
    gate = SendGate(monkeypatch, hold_thread="relay-1")
    results = {}
    first = _in_thread("relay-1", lambda: queue.flush_outbox(min_age=0), results)
    assert gate.holding.wait(10)
    second = _in_thread("relay-2", lambda: queue.flush_outbox(min_age=0), results)
    second.join(10)
    gate.release.set()
    first.join(10)
    assert results == {"relay-1": 3, "relay-2": 0}
    assert sorted(args for _name, args in gate.sent) == [[0], [1], [2]]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_the_periodic_relay_leaves_young_rows_to_the_fast_path():
    queue._broker_down_until = time.monotonic() + 60
    queue.enqueue(HARMLESS, 1)
    message = OutboxMessage.objects.get()
    assert queue.flush_outbox() == 0
    _age(message, seconds=queue.RELAY_AFTER_SECONDS + 1)
    assert queue.flush_outbox() == 1
    message.refresh_from_db()
    assert message.sent_at is not None
