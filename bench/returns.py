"""The statistics return (综合统计年报): the city's roll-up over every filing unit's return.

    .venv/bin/python bench/returns.py --scale small
    .venv/bin/python bench/returns.py --scale large

Every filing unit of generate_data (the city, the county 科协, the 学会) gets an accepted
return for last year, its computed items counted from the records as ``open_return`` would
(written again on every run). Then the city's roll-up (``services.roll_up``) is timed in
process, the workbook and the PDF in process, and ``manage.py statistics_return`` as a
command (a fresh process: Django's start-up included). Beside the roll-up's totals the same
sums are printed as raw SQL over the same records (events held by kind, registered
volunteers), which must agree: over the tree every record is counted once. Nothing is
asserted; the figures are read by people.
"""

import os
import subprocess
import tempfile
import time
from datetime import datetime
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

from harness import PY, ROOT, Bench

bench = Bench.from_argv("returns", repeat=10)
bench.prepare()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from association.models import Organization  # noqa: E402
from events.models import Event  # noqa: E402
from events.reports import HELD  # noqa: E402
from events.return_rules import ACADEMIC, POPSCI  # noqa: E402
from returns import output, services  # noqa: E402
from returns.models import ReturnValue, StatisticsReturn  # noqa: E402
from volunteers.models import Volunteer  # noqa: E402

YEAR = timezone.localdate().year - 1
S = StatisticsReturn.Status


def file_every_return(year: int) -> int:
    """An accepted return for each filing unit: computed items counted, entered ones zero."""
    units = [u for u in Organization.objects.filter(kind__in=services.FILING_KINDS) if services.files_a_return(u)]
    now = timezone.now()
    with transaction.atomic():
        StatisticsReturn.objects.filter(year=year).delete()
        made = StatisticsReturn.objects.bulk_create([
            StatisticsReturn(organization=u, year=year, status=S.ACCEPTED, head="负责人", statistician="统计员",
                             filled_by="填表人", phone="0393-0000000", reported_on=now.date(), submitted_at=now,
                             accepted_at=now)
            for u in units
        ])
        values = []
        for unit, statistics_return in zip(units, made, strict=True):
            figures = services.own_figures(unit, year)
            values += [ReturnValue(statistics_return=statistics_return, item=item, value=figures.get(item.pk, Decimal(0)))
                       for item in services.items_for(unit, year)]
        ReturnValue.objects.bulk_create(values, batch_size=5000)
    return len(units)


started = time.perf_counter()
filed = file_every_return(YEAR)
filing_seconds = time.perf_counter() - started
city = Organization.objects.get(kind=Organization.Kind.ASSOCIATION, parent__isnull=True)

bench.sizes(
    units=Organization.objects.count(), filing_units=filed, returns=StatisticsReturn.objects.filter(year=YEAR).count(),
    return_values=ReturnValue.objects.filter(statistics_return__year=YEAR).count(),
    events=Event.objects.count(), volunteers=Volunteer.objects.count(),
)
bench.notes.append(f"{filed} accepted returns for {YEAR} written in {filing_seconds:.1f} s")

rolled = services.roll_up(city.pk, YEAR)
bench.timed(f"roll_up(city, {YEAR}) in process", lambda: services.roll_up(city.pk, YEAR))
# What a draft costs: the city's own work counted afresh from the records (every rule over
# the city association and the units below it that file no return of their own).
bench.timed("own_figures(city): the city's own work counted", lambda: services.own_figures(city, YEAR), repeat=3)
bench.timed("output.write_xlsx(city)", lambda: output.write_xlsx(city.pk, YEAR), repeat=3)
bench.timed("output.write_pdf(city)", lambda: output.write_pdf(city.pk, YEAR), repeat=3)

with tempfile.TemporaryDirectory() as folder:
    xlsx, pdf = Path(folder) / "city.xlsx", Path(folder) / "city.pdf"
    command = [PY, "manage.py", "statistics_return", "--year", str(YEAR), "--organization", str(city.pk),
               "--xlsx", str(xlsx), "--pdf", str(pdf)]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=bench.env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    bench.rows.append({"page": "manage.py statistics_return (xlsx+pdf)", "queries": 0,
                       "p50_ms": sorted(times)[1], "p95_ms": max(times)})
    bench.notes.append(f"command files: xlsx {xlsx.stat().st_size:,} bytes, pdf {pdf.stat().st_size:,} bytes")

# -- the same sums as raw SQL over the same records ---------------------------------------------

tz = timezone.get_current_timezone()
start = datetime.combine(datetime(YEAR, 1, 1).date(), clock.min, tzinfo=tz)
end = datetime.combine(datetime(YEAR + 1, 1, 1).date(), clock.min, tzinfo=tz)
SUBTREE = f"""
    WITH RECURSIVE tree(id) AS (
        SELECT id FROM {Organization._meta.db_table} WHERE id = %s
        UNION ALL
        SELECT o.id FROM {Organization._meta.db_table} o JOIN tree t ON o.parent_id = t.id
    )"""
with connection.cursor() as cur:
    cur.execute(
        SUBTREE + f"""
        SELECT kind, count(*) FROM {Event._meta.db_table}
        WHERE organiser_id IN (SELECT id FROM tree) AND status = ANY(%s) AND start >= %s AND start < %s
        GROUP BY kind ORDER BY kind""",
        [city.pk, [str(s) for s in HELD], start, end],
    )
    by_kind = dict(cur.fetchall())
    cur.execute(
        SUBTREE + f"""
        SELECT count(*) FROM {Volunteer._meta.db_table}
        WHERE unit_id IN (SELECT id FROM tree) AND status = %s AND created < %s""",
        [city.pk, str(Volunteer.Status.APPROVED), end],
    )
    volunteers = cur.fetchone()[0]

items = {(i.table.code, i.code): i for i in services.items_for(city, YEAR)}


def total(table: str, code: str) -> int:
    return int(rolled.totals[items[(table, code)].pk])


comparisons = [
    ("学术交流活动 (CKX表3 01)", total("CKX表3", "01"), sum(by_kind.get(str(k), 0) for k in ACADEMIC)),
    ("科普宣讲活动 (EKX表5 01)", total("EKX表5", "01"), sum(by_kind.get(str(k), 0) for k in POPSCI)),
    ("其中：培训讲座 (EKX表5 02)", total("EKX表5", "02"), by_kind.get(str(Event.Kind.TRAINING), 0)),
    ("其中：科普日、科技周 (EKX表5 04)", total("EKX表5", "04"),
     by_kind.get(str(Event.Kind.POPSCI_DAY), 0) + by_kind.get(str(Event.Kind.SCIENCE_WEEK), 0)),
    ("青少年科技竞赛 (FKX表6 01)", total("FKX表6", "01"), by_kind.get(str(Event.Kind.COMPETITION), 0)),
    ("注册科普志愿者 (EKX表5 07)", total("EKX表5", "07"), volunteers),
]
# The city's return as a report job, through a real Celery worker (both files, as leaders
# ask for it under 统计报表).
from association.reports import services as report_services  # noqa: E402

queue = f"bench-returns-{os.getpid()}"
worker_times = []
with bench.celery_worker(queue):
    for _ in range(3):
        job, _created = report_services.request_report(report="statistics_return", year=YEAR, enqueue=False)
        worker_times.append(bench.run_report_job(job, queue))
        report_services.delete_jobs([job])
bench.notes.append(
    "city return as a report job through a real worker (roll-up + xlsx + pdf): "
    + ", ".join(f"{t:.2f} s" for t in worker_times) + "   [bar: <= 10 s at large]"
)
bench.report()
print(f"  city roll-up {YEAR} beside raw SQL over the city's subtree (missing returns: {len(rolled.missing)})")
print(f"  {'item':<36} {'roll_up':>9} {'raw SQL':>9}  same")
for label, rolled_up, raw in comparisons:
    print(f"  {label:<36} {rolled_up:>9,} {raw:>9,}  {'yes' if rolled_up == raw else 'NO'}")
print("  events held by kind (raw SQL): " + ", ".join(f"{k} {n:,}" for k, n in sorted(by_kind.items())))
