"""Reporting: the annual statistics report end to end through a real Celery worker (both
files), beside the same aggregations run as raw SQL, and the leaders' dashboard.

    .venv/bin/python bench/reports.py --scale small
    .venv/bin/python bench/reports.py --scale large

It knows no app: the sections are whatever the installed apps register, and the raw SQL
is the SQL those sections send, captured and replayed through a bare cursor. Bars: the
report <= 30 s at large; the dashboard p95 <= 200 ms at large.
"""

import os
import statistics
import sys
import time

from harness import Bench

bench = Bench.from_argv("reports", repeat=40)
bench.prepare()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from association import reporting  # noqa: E402
from association.reporting import ReportParams  # noqa: E402
from association.reports import services  # noqa: E402
from association.reports.pdf import write_pdf  # noqa: E402
from association.reports.runner import run_sections  # noqa: E402
from association.reports.selectors import dashboard_sections  # noqa: E402
from association.reports.xlsx import ReportMeta, write_xlsx  # noqa: E402
from association.roles import LEADERS  # noqa: E402

RUNS = 3
YEAR = timezone.localdate().year


def data_size() -> None:
    counts = {}
    for label in ("association", "volunteers", "events", "talents"):
        for model in apps.get_app_config(label).get_models():
            n = model.objects.count()
            if n:
                counts[model.__name__] = n
    bench.sizes(**counts)


def end_to_end(queue: str) -> list[float]:
    """Ask for the annual report, let the worker make both files; seconds from asking to done."""
    times = []
    for _ in range(RUNS):
        job, _created = services.request_report(report="annual", year=YEAR, enqueue=False)
        elapsed = bench.run_report_job(job, queue)
        times.append(elapsed)
        bench.notes.append(
            f"  run {len(times)}: {elapsed:.2f} s (queue {(job.started - job.created).total_seconds():.2f} s, "
            f"work {(job.finished - job.started).total_seconds():.2f} s; xlsx {job.xlsx.size:,} B, pdf {job.pdf.size:,} B)"
        )
        services.delete_jobs([job])
    return times


def captured_sql(params: ReportParams) -> list[str]:
    sql = []
    for section in reporting.sections():
        with CaptureQueriesContext(connection) as ctx:
            section.build(params)
        sql += [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    return sql


def raw_sql_seconds(statements: list[str]) -> float:
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with connection.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
                cur.fetchall()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def leader_client() -> Client:
    user, created = get_user_model().objects.get_or_create(username="bench-leader", defaults={"is_staff": True})
    if created:
        user.groups.add(Group.objects.get(name=LEADERS))
    client = Client()
    client.force_login(user)
    return client


data_size()
params = ReportParams(year=YEAR)
sections = reporting.sections()
bench.notes.append(f"sections: {len(sections)} ({', '.join(s.key for s in sections)}), year {YEAR}")

# In process, part by part: each section (ORM), then the two writers.
for section in sections:
    bench.timed(f"section {section.key} (ORM, in process)", lambda s=section: s.build(params), repeat=RUNS)
results = run_sections(sections, params)
meta = ReportMeta("bench", "bench", "bench", "bench")
bench.timed("write xlsx", lambda: write_xlsx(meta, results), repeat=RUNS)
bench.timed("write pdf", lambda: write_pdf(meta, results), repeat=RUNS)

# End to end through a real worker, and the same aggregations as raw SQL.
queue = f"bench-reports-{os.getpid()}"
with bench.celery_worker(queue):
    e2e = end_to_end(queue)
statements = captured_sql(params)
raw = raw_sql_seconds(statements)
best = min(e2e)
bench.notes.insert(
    0,
    f"annual report end to end (worker, xlsx + pdf): median {statistics.median(e2e):.2f} s, best {best:.2f} s "
    f"over {RUNS} runs | same aggregations as raw SQL ({len(statements)} statements): {raw * 1000:.1f} ms | "
    f"ratio {statistics.median(e2e) / raw if raw else float('inf'):.1f}x   [bar: <= 30 s at large]",
)

# The leaders' dashboard: warm (section results cached) and cold.
client = leader_client()
bench.page("/dashboard/", label="/dashboard/ (cached sections)   [bar: p95 <= 200 ms]", client=client)


def cold_dashboard():
    cache.clear()
    client.get("/dashboard/")


def timed_request(label: str, func, repeat: int) -> None:
    """Like bench.timed, but counts the queries before the next request empties the log
    (Django resets it when a request starts; bench.timed reads the count after its loop)."""
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        func()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    bench.rows.append({"page": label, "queries": queries, "p50_ms": statistics.median(times),
                       "p95_ms": times[max(0, int(len(times) * 0.95) - 1)]})


timed_request("/dashboard/ (cold cache, every section runs)", cold_dashboard, repeat=5)
bench.timed("dashboard_sections() warm (selector only)", lambda: dashboard_sections(YEAR))
bench.report()
sys.exit(0)
