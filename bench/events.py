"""Events: a sign-up rush against gunicorn, and the public pages' queries and server time.

    .venv/bin/python bench/events.py --scale small
    .venv/bin/python bench/events.py --scale large

(a) 300 people press "提交报名" at the same moment for 50 seats, over HTTP against gunicorn
    with 4 workers: expects exactly 50 confirmed, 250 on the waiting list and no response
    of 500 or more; prints sign-ups per second.
(b) /events/, the calendar month and an event page: SQL queries and p50/p95 server time
    (bar: p95 <= 50 ms at large, the same query counts at small and large).
"""

import http.cookiejar
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from harness import Bench

RUSH_PEOPLE = 300
RUSH_SEATS = 50
RUSH_WORKERS = 4

# The 300 "people" all come from 127.0.0.1 here, so the per-address limit of public forms
# (PUBLIC_FORM_ADDRESS_RATE, after which a picture code is asked) is lifted for the server this script starts.
os.environ["PUBLIC_FORM_ADDRESS_RATE"] = os.environ["PUBLIC_FORM_PERSON_RATE"] = "100000/m"

bench = Bench.from_argv("events")
bench.prepare()

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from association.models import Organization  # noqa: E402
from events.models import Event, Registration  # noqa: E402

bench.sizes(
    events=Event.objects.count(),
    registrations=Registration.objects.count(),
    outcomes=Event.objects.filter(outcome__isnull=False).count(),
)

# -- (b) pages -------------------------------------------------------------------------
past = Event.objects.filter(status=Event.Status.FINISHED, outcome__isnull=False, title__startswith="合成").order_by("id").first()
upcoming = (
    Event.objects.filter(status=Event.Status.PUBLISHED, registration_open=True, start__gt=timezone.now())
    .order_by("start", "id").first()
)
month = timezone.localdate().strftime("%Y-%m")
bench.page("/events/")
bench.page("/events/?page=3", label="/events/?page=3 (deep page)")
bench.page(f"/events/?kind=training&month={month}", label="/events/?kind=…&month=… (filtered)")
bench.page(f"/events/calendar/?month={month}", label=f"/events/calendar/?month={month}")
bench.page(f"/events/{upcoming.pk}/", label="/events/<id>/ (upcoming, open)")
bench.page(f"/events/{past.pk}/", label="/events/<id>/ (past, with outcome)")
bench.page("/events/calendar.ics", label="/events/calendar.ics (feed, cached 10 min)")


# -- (a) the rush ----------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def rush() -> None:
    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        title=f"压力测试·抢报活动 {time.time():.0f}", kind=Event.Kind.TRAINING,
        organiser=Organization.objects.order_by("id").first(), start=start, end=start + timedelta(hours=3),
        venue="濮阳市科技馆", status=Event.Status.PUBLISHED, registration_open=True, capacity=RUSH_SEATS,
        waiting_list=True,
    )
    proc, base = bench.gunicorn(workers=RUSH_WORKERS)
    url = f"{base}/events/{event.pk}/register/"
    barrier = threading.Barrier(RUSH_PEOPLE + 1)
    statuses: list[int] = []
    lock = threading.Lock()

    def person(i: int) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        html = opener.open(url, timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "name": f"压测{i}", "mobile": f"1370000{i:04d}", "consent": "on",
        }).encode()
        barrier.wait()
        try:
            status = opener.open(urllib.request.Request(url, data=body, headers={"Referer": url}), timeout=120).status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = -1
        with lock:
            statuses.append(status)

    try:
        threads = [threading.Thread(target=person, args=(i,)) for i in range(RUSH_PEOPLE)]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join(180)
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(10)
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    waitlisted = event.registrations.filter(status=Registration.Status.WAITLISTED).count()
    event.refresh_from_db()
    errors = sum(n for s, n in counts.items() if s >= 500 or s < 0)
    ok = confirmed == RUSH_SEATS and waitlisted == RUSH_PEOPLE - RUSH_SEATS and errors == 0
    bench.notes.append(
        f"rush: {RUSH_PEOPLE} sign-ups at once for {RUSH_SEATS} seats, gunicorn {RUSH_WORKERS} workers: "
        f"{RUSH_PEOPLE / elapsed:.0f} sign-ups/s ({elapsed:.2f} s), responses {counts}, "
        f"confirmed {confirmed}, waitlisted {waitlisted}, counters {event.seats_taken}/{event.waitlisted_count}, "
        f"responses >= 500: {errors} -> {'PASS' if ok else 'FAIL'}"
    )
    event.delete()


rush()
bench.report()
