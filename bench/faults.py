"""Fault benchmarks: the portal under a Redis outage and a Celery worker killed mid-report.

    .venv/bin/python bench/faults.py --scale small                # both
    .venv/bin/python bench/faults.py --scale small --only redis
    .venv/bin/python bench/faults.py --scale small --only worker

1. **Redis outage.** Starts its OWN ``redis-server`` on a spare port (the machine's shared
   Redis on 6379 is never touched), runs gunicorn (3 workers) against it, and drives the
   public pages plus the volunteer registration, service-order and event sign-up forms
   from client threads. Mid-run it SIGKILLs that Redis and restarts it later. Then a Celery worker is
   started and the outbox must drain. Printed: requests and 5xx per phase, form
   submissions accepted vs rows found, /healthz over time, outbox before/after.
2. **Worker killed mid-report.** A worker (solo pool, with a slow extra report section)
   takes a report; it is SIGKILLed (its whole process group) while the report is half
   done; a new worker under the same name starts. The job must be queued again and
   finish. A second variant kills it twice: the job must fail with its Chinese reason.

The functions take an explicit environment, so tests/hardening/test_faults.py runs short
versions of both against the test database.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PUBLIC_PAGES = ["/", "/organizations/", "/volunteers/teams/", "/volunteers/projects/", "/talents/experts/",
                "/talents/awards/", "/talents/demands/"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- our own Redis -------------------------------------------------------------------------------


class OwnRedis:
    """A throw-away redis-server on a spare port; killing it harms nobody else."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--protected-mode", "yes", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(100):
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return self
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on {self.port} did not start")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)

    def stop(self):
        self.kill()


# -- processes ----------------------------------------------------------------------------------


def start_gunicorn(env: dict, workers: int = 3):
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "30", "--graceful-timeout", "5"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/static/css/portal.css")
            conn.getresponse().read()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def stop_process_group(proc, sig=signal.SIGTERM):
    try:
        os.killpg(proc.pid, sig)
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(5)


def start_celery_worker(env: dict, name: str, log_path: Path | None = None):
    log = open(log_path or os.devnull, "a")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO", "-n", name,
         "-Q", "celery,mail,reports", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    proc.log = log
    return proc


# -- a small HTTP client --------------------------------------------------------------------------


class Browser:
    """One visitor: keeps its cookies, reads the CSRF token from the form it opened."""

    def __init__(self, port: int, source: str | None = None):
        self.port = port
        self.source = source  # the local address to connect from (127.0.0.x: another "client")
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                          source_address=(self.source, 0) if self.source else None)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            conn.close()

    def submit(self, path: str, data: dict) -> tuple[int, str]:
        status, html = self.request("GET", path)
        if status != 200:
            return status, html
        token = CSRF_FIELD.search(html)
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""})


# -- the Redis outage ---------------------------------------------------------------------------------


@dataclass
class OutageResult:
    phases: dict = field(default_factory=dict)  # phase -> Counter of "2xx"/"5xx"/"error"/...
    latencies: dict = field(default_factory=dict)
    registrations: list = field(default_factory=list)  # emails accepted (302)
    orders: list = field(default_factory=list)  # orderer names accepted (302)
    signups: list = field(default_factory=list)  # event sign-ups accepted (302), by organisation
    refused_posts: Counter = field(default_factory=Counter)
    accepted_by_phase: Counter = field(default_factory=Counter)  # "register:redis down" -> n
    health: list = field(default_factory=list)  # (seconds, phase, http status, body status)
    rows_found: dict = field(default_factory=dict)
    outbox: dict = field(default_factory=dict)
    gunicorn_workers: int = 0

    @property
    def public_5xx(self) -> int:
        return sum(c["5xx"] + c["error"] for c in self.phases.values())

    @property
    def lost(self) -> int:
        return (
            (len(self.registrations) - self.rows_found.get("volunteers", 0))
            + (len(self.orders) - self.rows_found.get("orders", 0))
            + (len(self.signups) - self.rows_found.get("sign-ups", 0))
        )


def _registration(serial: int, county_id: int) -> dict:
    from volunteers.idcard import synthetic_identity, synthetic_mobile

    id_number, birth, gender = synthetic_identity(serial)
    return {
        "name": "故障测试", "gender": gender, "id_number": id_number, "birth_date": birth.isoformat(),
        "phone": synthetic_mobile(serial), "email": f"fault{serial}@example.org", "political_status": "masses",
        "education": "bachelor", "title": "", "title_level": "", "field": "科普", "employer": "", "county": county_id,
        "skills": "", "password1": "Kexie-2025-abc", "password2": "Kexie-2025-abc", "consent": "on", "id_consent": "on",
        "website": "",
    }


def _order(n: int, county_id: int) -> dict:
    import datetime

    return {
        "orderer_kind": "community", "orderer_name": f"故障测试社区{n}", "contact_name": "赵主任",
        "contact_phone": "13912345678", "email": f"order{n}@example.org", "county": county_id, "address": "建设路",
        "wanted_date": (datetime.date.today() + datetime.timedelta(days=10)).isoformat(), "audience_size": 30,
        "needs": "健康科普讲座", "website": "",
    }


def _signup(n: int) -> dict:
    return {"name": "故障测试", "mobile": f"198{n:08d}", "email": f"signup{n}@example.org",
            "organization": f"故障测试单位{n}", "consent": "on", "website": ""}


def _event_taking_signups():
    """An upcoming event open for sign-up with a waiting list, so every POST is taken."""
    from events.selectors import taking_signups

    return taking_signups().filter(waiting_list=True).order_by("start").values_list("pk", flat=True).first()


def redis_outage(env: dict, *, before: float = 6, outage: float = 8, after: float = 8, get_threads: int = 8,
                 post_threads: int = 2, gunicorn_workers: int = 3, serial_base: int | None = None,
                 log_dir: Path | None = None) -> OutageResult:
    """Run the outage against the database in ``env`` (already migrated, with a county, a
    published service project and an event taking sign-ups with a waiting list). The
    caller's Django must be set up on the same database. Post threads take turns:
    volunteer registration, service order, event sign-up."""
    from association.models import County, OutboxMessage
    from events.models import Registration
    from volunteers.models import ServiceOrder, ServiceProject, Volunteer

    county_id = County.objects.values_list("pk", flat=True).first()
    project_id = ServiceProject.objects.published().values_list("pk", flat=True).first()
    event_id = _event_taking_signups()
    if county_id is None or project_id is None or event_id is None:
        raise RuntimeError("the database needs a county, a published service project and an event taking sign-ups")
    serial_base = serial_base if serial_base is not None else 900_000 + int(time.time()) % 50_000 * 10
    outbox_before = OutboxMessage.objects.filter(sent_at__isnull=True).count()

    redis = OwnRedis().start()
    env = {**env, "REDIS_URL": redis.url, "TEST_REDIS_URL": redis.url, "CELERY_BROKER_URL": redis.url,
           "PUBLIC_FORM_ADDRESS_RATE": "1000000/h", "PUBLIC_FORM_PERSON_RATE": "1000000/h", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
           "CACHE_KEY_PREFIX": f"faults-{redis.port}", "CONN_MAX_AGE": "0"}
    result = OutageResult(gunicorn_workers=gunicorn_workers)
    gunicorn, port = start_gunicorn(env, gunicorn_workers)
    phase = ["before"]
    stop = threading.Event()
    lock = threading.Lock()
    counter = iter(range(10**9))
    started = time.monotonic()

    def note(kind: str, ms: float):
        with lock:
            result.phases.setdefault(phase[0], Counter())[kind] += 1
            result.latencies.setdefault(phase[0], []).append(ms)

    def get_loop(offset: int):
        browser = Browser(port)
        i = offset
        while not stop.is_set():
            path = PUBLIC_PAGES[i % len(PUBLIC_PAGES)]
            i += 1
            t = time.perf_counter()
            try:
                status, _ = browser.request("GET", path)
                kind = "5xx" if status >= 500 else ("2xx" if status < 400 else f"{status}")
            except OSError:
                kind = "error"
            note(kind, (time.perf_counter() - t) * 1000)

    def post_loop(which: str):
        while not stop.is_set():
            with lock:
                n = next(counter)
            browser = Browser(port)
            try:
                if which == "register":
                    data = _registration(serial_base + n, county_id)
                    status, _ = browser.submit("/volunteers/register/", data)
                    key = data["email"]
                elif which == "order":
                    data = _order(serial_base + n, county_id)
                    status, _ = browser.submit(f"/volunteers/projects/{project_id}/order/", data)
                    key = data["orderer_name"]
                else:
                    data = _signup(serial_base + n)
                    status, _ = browser.submit(f"/events/{event_id}/register/", data)
                    key = data["organization"]
            except OSError:
                status, key = "error", None
            with lock:
                if status == 302:
                    {"register": result.registrations, "order": result.orders, "signup": result.signups}[which].append(key)
                    result.accepted_by_phase[f"{which}:{phase[0]}"] += 1
                else:
                    result.refused_posts[f"{which}:{status}:{phase[0]}"] += 1

    def health_loop():
        while not stop.is_set():
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                body = response.read().decode()
                status = re.search(r'"status": "(\w+)"', body)
                result.health.append((round(time.monotonic() - started, 1), phase[0], response.status,
                                      status.group(1) if status else "?"))
            except OSError as exc:
                result.health.append((round(time.monotonic() - started, 1), phase[0], 0, type(exc).__name__))
            stop.wait(1.0)

    threads = [threading.Thread(target=get_loop, args=(k,), daemon=True) for k in range(get_threads)]
    kinds = ("register", "order", "signup")
    threads += [threading.Thread(target=post_loop, args=(kinds[k % 3],), daemon=True) for k in range(post_threads)]
    threads.append(threading.Thread(target=health_loop, daemon=True))
    worker = None
    try:
        for t in threads:
            t.start()
        time.sleep(before)
        phase[0] = "redis down"
        redis.kill()
        time.sleep(outage)
        phase[0] = "redis back"
        redis.start()
        time.sleep(after)
        stop.set()
        for t in threads:
            t.join(35)
        waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
        result.outbox["waiting after the run"] = waiting - outbox_before
        # A worker coming up sends what waited in the outbox (worker_ready → flush_outbox).
        worker = start_celery_worker(env, f"faults-{redis.port}@%h", (log_dir / "faults-worker.log") if log_dir else None)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and OutboxMessage.objects.filter(sent_at__isnull=True).count() > outbox_before:
            time.sleep(0.5)
        result.outbox["waiting after a worker started"] = (
            OutboxMessage.objects.filter(sent_at__isnull=True).count() - outbox_before
        )
        result.outbox["seconds to drain"] = round(time.monotonic() - (deadline - 40), 1)
    finally:
        stop.set()
        stop_process_group(gunicorn)
        if worker is not None:
            stop_process_group(worker)
            worker.log.close()
        redis.stop()
    result.rows_found = {
        "volunteers": Volunteer.objects.filter(email__in=result.registrations).count(),
        "orders": ServiceOrder.objects.filter(orderer_name__in=result.orders).count(),
        "sign-ups": Registration.objects.filter(event_id=event_id, organization__in=result.signups).count(),
    }
    return result


def print_outage(result: OutageResult) -> None:
    print(f"  Redis outage (own redis-server, gunicorn {result.gunicorn_workers} workers): public pages")
    print(f"    {'phase':<12} {'requests':>9} {'2xx':>7} {'5xx':>5} {'errors':>7} {'other':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for name in ("before", "redis down", "redis back"):
        c = result.phases.get(name, Counter())
        lat = sorted(result.latencies.get(name, [0]))
        other = sum(v for k, v in c.items() if k not in ("2xx", "5xx", "error"))
        print(f"    {name:<12} {sum(c.values()):>9} {c['2xx']:>7} {c['5xx']:>5} {c['error']:>7} {other:>6} "
              f"{lat[len(lat) // 2]:>8.1f} {lat[min(len(lat) - 1, int(len(lat) * 0.99))]:>8.1f}")
    print(f"    forms accepted: {len(result.registrations)} registrations, {len(result.orders)} orders, "
          f"{len(result.signups)} event sign-ups; "
          f"rows found: {result.rows_found}; lost: {result.lost}")
    print(f"    accepted by phase: {dict(result.accepted_by_phase)}")
    if result.refused_posts:
        print(f"    forms not accepted: {dict(result.refused_posts)}")
    print(f"    outbox: {result.outbox}")
    seen = []
    for _t, phase, code, status in result.health:
        if not seen or seen[-1][1:] != (phase, code, status):
            seen.append((_t, phase, code, status))
    print("    /healthz: " + "; ".join(f"{t}s {phase}: {code} {status}" for t, phase, code, status in seen))


# -- the worker killed mid-report -------------------------------------------------------------------


def worker_kill(env: dict, *, kills: int = 1, slow_seconds: float = 3, log_dir: Path | None = None) -> dict:
    """Kill the worker running a report ``kills`` times; returns what became of the job."""
    import socket

    from association.models import ReportJob
    from association.reports import services
    from association.tasks import run_report_job
    from tests.hardening import slow_worker

    env = {**env, "REPORT_HEARTBEAT_SECONDS": "1", "SLOW_SECTION_SECONDS": str(slow_seconds)}
    name = f"faults-report-{os.getpid()}@{socket.gethostname()}"
    queue = f"faults-report-{os.getpid()}"
    year = 2000 + (int(time.time()) % 20)
    ReportJob.objects.filter(report="annual", year=year, status__in=ReportJob.ACTIVE).update(status="failed")
    job, _ = services.request_report(report="annual", year=year, enqueue=False)
    timeline = []
    started = time.monotonic()

    def wait(predicate, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if predicate(job):
                return True
            time.sleep(0.1)
        return False

    def log(i):
        return (log_dir / f"report-worker-{i}.log") if log_dir else None

    worker = slow_worker.start_worker(name, env=env, queues=queue, log_path=log(0))
    run_report_job.apply_async(args=[job.pk], queue=queue)
    for i in range(kills):
        wait(lambda j, run=i + 1: j.status == "running" and j.attempts == run and slow_worker.SLOW_TITLE in j.current_step)
        timeline.append((round(time.monotonic() - started, 1),
                         f"SIGKILL worker (job {job.status}, run {job.attempts}, step: {job.current_step})"))
        slow_worker.kill(worker)
        worker = slow_worker.start_worker(name, env=env, queues=f"{queue},celery,reports", log_path=log(i + 1), wait=False)
        timeline.append((round(time.monotonic() - started, 1), "new worker under the same name started"))
        wait(lambda j, run=i + 1: j.status != "running" or j.attempts > run)
        timeline.append((round(time.monotonic() - started, 1), f"job {job.status} (queued again {job.requeued}×)"))
    finished = wait(lambda j: not j.is_active, timeout=90)
    slow_worker.stop(worker)
    job.refresh_from_db()
    timeline.append((round(time.monotonic() - started, 1), f"job {job.status}"))
    outcome = {"status": job.status, "error": job.error, "requeued": job.requeued, "attempts": job.attempts,
               "finished": finished, "seconds": round(time.monotonic() - started, 1), "timeline": timeline}
    services.delete_jobs([job])
    return outcome


def print_worker(label: str, outcome: dict) -> None:
    print(f"  {label}: job {outcome['status']} after {outcome['seconds']} s "
          f"(queued again {outcome['requeued']}×, ran {outcome['attempts']}×)" + (f"; reason: {outcome['error']}" if outcome["error"] else ""))
    for t, what in outcome["timeline"]:
        print(f"    {t:>6.1f}s  {what}")


def main():
    import argparse

    parser = argparse.ArgumentParser(description="fault benchmarks")
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--only", choices=["redis", "worker"], default=None)
    parser.add_argument("--outage", type=float, default=10, help="seconds Redis stays down")
    args = parser.parse_args()
    # Even the bench's own cache and broker are a private redis-server: the workers started
    # here listen to the default queue, which must not be anybody else's.
    own = OwnRedis().start()
    os.environ["BENCH_REDIS_URL"] = own.url
    sys.path.insert(0, str(ROOT / "bench"))
    from harness import Bench

    bench = Bench("faults", args.scale)
    try:
        _run(bench, args)
    finally:
        own.stop()


def _run(bench, args):
    bench.prepare()
    log_dir = ROOT / ".run"
    log_dir.mkdir(exist_ok=True)
    from association.models import OutboxMessage
    from volunteers.models import ServiceOrder, Volunteer

    bench.sizes(volunteers=Volunteer.objects.count(), orders=ServiceOrder.objects.count())
    bench.report()
    if args.only in (None, "redis"):
        OutboxMessage.objects.filter(sent_at__isnull=True).delete()  # only this run's backlog counts
        result = redis_outage(bench.env, before=10, outage=args.outage, after=10, get_threads=12, post_threads=6,
                              log_dir=log_dir)
        print_outage(result)
    if args.only in (None, "worker"):
        print_worker("worker killed once mid-report", worker_kill(bench.env, kills=1, log_dir=log_dir))
        print_worker("worker killed twice mid-report", worker_kill(bench.env, kills=2, log_dir=log_dir))


if __name__ == "__main__":
    main()
