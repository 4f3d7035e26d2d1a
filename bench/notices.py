"""Notices: an event with 10,000 sign-ups is cancelled, and everyone is told by e-mail and SMS.

    .venv/bin/python bench/notices.py                 # 10,000 sign-ups
    .venv/bin/python bench/notices.py --signups 2000

Prints (bars from issue #15):
- the cancellation service as a web request runs it: it writes the event's new state and
  one outbox row, and sends nothing itself;
- seconds from the cancellation until every notice is written to the delivery log
  (queued), done by the worker in bulk (bar: <= 10 s);
- seconds until the worker has sent them all (console SMS backend, in-memory e-mail), in
  batches of ``association.notices.service.SEND_BATCH``.

Its own database (``bench_notices``, made when missing) and Redis database 10 (the broker;
``BENCH_REDIS_URL`` for another), so no other benchmark's worker takes its tasks.
"""

import argparse
import os
import secrets
import time

parser = argparse.ArgumentParser(description="benchmark: notices to everyone signed up to a cancelled event")
parser.add_argument("--signups", type=int, default=10_000)
args = parser.parse_args()

os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")

from harness import PY, ROOT, Bench  # noqa: E402

bench = Bench("notices", "small", db_name=os.environ.get("BENCH_NOTICES_DB", "bench_notices"))
# The worker's e-mail stays in memory and its SMS go to its (WARNING-level) log.
os.environ["EMAIL_BACKEND"] = bench.env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ["SMS_BACKEND"] = bench.env["SMS_BACKEND"] = "association.notices.sms.ConsoleBackend"
os.environ["SMS_RATE_PER_NUMBER"] = bench.env["SMS_RATE_PER_NUMBER"] = "10"

import subprocess  # noqa: E402

subprocess.run([PY, "scripts/check_services.py"], cwd=ROOT, env=bench.env, check=True)
bench.manage("migrate", "--noinput", "-v", "0")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from association.models import Delivery, Organization, OutboxMessage  # noqa: E402
from events.models import Event, Registration  # noqa: E402
from events.services import events as event_services  # noqa: E402
from events.services.registrations import mobile_hash, new_check_in_code  # noqa: E402

N = args.signups


def make_event() -> Event:
    """A published event with N confirmed sign-ups, each with a mobile and an e-mail."""
    Event.objects.filter(title__startswith="基准测试：").delete()
    Delivery.objects.filter(kind="events.cancelled").delete()
    OutboxMessage.objects.all().delete()
    organiser = Organization.objects.order_by("pk").first() or Organization.objects.create(
        name="濮阳市科学技术协会", kind=Organization.Kind.ASSOCIATION)
    start = timezone.now() + timedelta(days=3)
    event = Event.objects.create(
        title="基准测试：万人科普日主场活动", kind=Event.Kind.TRAINING, organiser=organiser, start=start,
        end=start + timedelta(hours=3), venue="濮阳市体育场", status=Event.Status.PUBLISHED,
        published_at=timezone.now(), registration_open=True, capacity=None, waiting_list=False,
        seats_taken=N,
    )
    codes = set()
    rows = []
    for i in range(N):
        code = new_check_in_code()
        while code in codes:
            code = new_check_in_code()
        codes.add(code)
        mobile = f"135{i:08d}"
        rows.append(Registration(
            event=event, name=f"报名人{i}", mobile=mobile, mobile_hash=mobile_hash(mobile),
            email=f"person{i}@example.org", status=Registration.Status.CONFIRMED, token=secrets.token_urlsafe(32),
            check_in_code=code, confirmed_at=timezone.now(), notified_status=Registration.Status.CONFIRMED,
        ))
    Registration.objects.bulk_create(rows, batch_size=2000)
    return event


def staff_user():
    user, _ = get_user_model().objects.get_or_create(username="bench-notices", defaults={"is_staff": True})
    return user


def main():
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
    event = make_event()
    expected = N * 2  # e-mail and SMS for each (no accounts: no inbox)
    bench.sizes(signups=N, deliveries=expected)
    with bench.celery_worker("mail"):
        started = time.perf_counter()
        wall = timezone.now()
        event_services.cancel(event_id=event.pk, actor=staff_user(), reason="天气原因")
        service_s = time.perf_counter() - started
        outbox_rows = OutboxMessage.objects.filter(task_name="events.tasks.send_event_cancelled_notices").count()
        queued_s = sent_s = None
        deadline = time.time() + 900
        while time.time() < deadline:
            written = Delivery.objects.filter(kind="events.cancelled").count()
            if queued_s is None and written >= expected:
                queued_s = time.perf_counter() - started
            if queued_s is not None and not Delivery.objects.filter(
                    kind="events.cancelled", status=Delivery.Status.QUEUED).exists():
                sent_s = time.perf_counter() - started
                break
            time.sleep(0.1)
    by_status = dict(Delivery.objects.filter(kind="events.cancelled").values_list("status").annotate(
        n=django.db.models.Count("id")).values_list("status", "n"))
    first = Delivery.objects.filter(kind="events.cancelled").aggregate(m=django.db.models.Min("created"))["m"]
    pickup_s = (first - wall).total_seconds() if first else float("nan")
    send_tasks = OutboxMessage.objects.filter(task_name="association.send_deliveries").count()
    print(f"\nbenchmark: notices — an event with {N:,} sign-ups is cancelled")
    for note in bench.notes:
        print(f"  {note}")
    print(f"  cancellation service (the web request): {service_s * 1000:.0f} ms, outbox rows it wrote: {outbox_rows}, "
          f"e-mails/SMS it sent: 0")
    print(f"  all {expected:,} deliveries queued after: {queued_s:.1f} s (bar <= 10 s; the worker began after "
          f"{pickup_s:.2f} s)" if queued_s else
          "  deliveries NOT all queued within 900 s")
    print(f"  all sent by the worker after: {sent_s:.1f} s ({expected / sent_s:,.0f} per second), "
          f"in {send_tasks} send tasks" if sent_s else "  deliveries NOT all sent within 900 s")
    print(f"  delivery statuses: {by_status}")


main()
