"""The README run command under a rush: 240 sign-ups from 32 clients at once for 40 seats.

Starts ``./scripts/run.sh`` exactly as a newcomer would (gunicorn, a Celery worker, beat,
the demo data), on a database and a Redis database of its own, opens a 科普 event with 40
seats, and lets 32 clients sign 240 people up at the same moment (each client opens the
form, then sends it, like a browser). Then it checks what a person would notice:

- every answer is a page, never an error (no status ≥ 500);
- exactly as many people are confirmed as there are seats; the rest wait or are told;
- the site answers normally right after;
- PostgreSQL connections of the portal go back to their level before the rush within a
  minute (nothing is held for good).

Each client connects from its own loopback address (127.0.0.x; the kernel delivers all of
127/8 locally), as 32 households would. With ``--one-address`` they all come from
127.0.0.1, like a crowd behind one school's address: past the address's hourly share the
form then asks for a picture code (counted apart below) instead of refusing.

    .venv/bin/python bench/rush.py                 # 240 sign-ups, 32 clients, 40 seats
    .venv/bin/python bench/rush.py --one-address   # the same crowd behind one address
    .venv/bin/python bench/rush.py --signups 480 --clients 64

``tests/hardening/test_run_command.py`` runs the same function and asserts the figures.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from faults import Browser as Visitor  # noqa: E402

# Variables of the calling shell that would make the portal a test run or point it elsewhere.
NOT_PASSED = ("PYTEST_VERSION", "DJANGO_SETTINGS_MODULE", "TEST_DATABASE_NAME", "TEST_REDIS_URL", "PYTEST_CURRENT_TEST",
              "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

EVENT_SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from association.models import Organization
from events.models import Event
start = timezone.now() + timedelta(days=3)
event = Event.objects.create(
    title="全国科普日 · 青少年科学实验秀（压力测试）", kind=Event.Kind.POPSCI_DAY, organiser=Organization.objects.order_by("pk").first(),
    start=start, end=start + timedelta(hours=2), venue="濮阳市科技馆", status=Event.Status.PUBLISHED,
    published_at=timezone.now(), registration_open=True, capacity={seats}, waiting_list=True,
)
print("EVENT", event.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _connections(db: str) -> int:
    with psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres") as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [db])
        return cur.fetchone()[0]


def _drop_database(db: str) -> None:
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [db])
        cur.execute(f'DROP DATABASE IF EXISTS "{db}"')
    conn.close()


class RunCommand:
    """``./scripts/run.sh`` in its own process group, on its own database and Redis database."""

    def __init__(self, checkout: Path, *, db: str, redis_db: int, log_path: Path):
        self.checkout = checkout
        self.db = db
        self.port = _free_port()
        self.log_path = log_path
        self.env = {k: v for k, v in os.environ.items() if k not in NOT_PASSED}
        self.env.update({
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
            "CACHE_KEY_PREFIX": f"rush-{db}",
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
        })
        self.proc = None

    def start(self, timeout: float = 600) -> float:
        started = time.monotonic()
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(["bash", "scripts/run.sh"], cwd=self.checkout, env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"run.sh exited with {self.proc.returncode}; see {self.log_path}")
            if "the portal is running" in self.log_path.read_text(errors="replace"):
                return time.monotonic() - started
            time.sleep(1)
        raise RuntimeError(f"run.sh did not print its address within {timeout:.0f} s; see {self.log_path}")

    def manage_shell(self, code: str) -> str:
        result = subprocess.run([str(self.checkout / ".venv/bin/python"), "manage.py", "shell", "-c", code],
                                cwd=self.checkout, env=self.env, capture_output=True, text=True, timeout=120, check=True)
        return result.stdout

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        try:
            os.killpg(self.proc.pid, signal.SIGINT)  # what Ctrl-C does
            self.proc.wait(40)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        except ProcessLookupError:
            pass
        self.log.close()
        return self.proc.returncode


def _classify(status: int, html: str) -> str:
    if status >= 500:
        return "error ≥500"
    if status in (301, 302, 303):
        return "accepted (redirect to own page)"
    if status == 200 and 'name="captcha_0"' in html:
        return "asked for the picture code"
    if status == 200:
        return "told on the form (full, closed, duplicate)"
    return f"HTTP {status}"


def rush(checkout: Path = ROOT, *, signups: int = 240, clients: int = 32, seats: int = 40, settle: float = 75,
         log_dir: Path | None = None, one_address: bool = False) -> dict:
    db = f"association_rush_{os.getpid()}"
    log_dir = log_dir or checkout / ".run"
    log_dir.mkdir(parents=True, exist_ok=True)
    run = RunCommand(checkout, db=db, redis_db=int(os.environ.get("RUSH_REDIS_DB", "9")), log_path=log_dir / "rush-run.log")
    result: dict = {"signups": signups, "clients": clients, "seats": seats, "db": db, "one_address": one_address}
    try:
        result["startup_seconds"] = run.start()
        event_id = int(re.search(r"EVENT (\d+)", run.manage_shell(EVENT_SCRIPT.format(seats=seats))).group(1))
        path = f"/events/{event_id}/register/"
        warm = Visitor(run.port)
        result["before_home"] = warm.request("GET", "/")[0]
        time.sleep(2)
        result["connections_before"] = _connections(db)

        answers: Counter = Counter()
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(clients)
        peak = {"connections": 0}

        def client(index: int):
            visitor = Visitor(run.port, None if one_address else f"127.0.0.{10 + index}")
            mine = range(index, signups, clients)
            barrier.wait()
            for n in mine:
                began = time.perf_counter()
                try:
                    status, html = visitor.submit(path, {"name": f"学生{n:03d}", "mobile": f"1390000{n:04d}",
                                                         "consent": "on"})
                    kind = _classify(status, html)
                except Exception as exc:  # noqa: BLE001 - a refused or dropped connection is a failure
                    kind = "connection failed"
                    with lock:
                        failures.append(f"{type(exc).__name__}: {exc}")
                with lock:
                    answers[kind] += 1
                    latencies.append((time.perf_counter() - began) * 1000)

        def watch(stop: threading.Event):
            while not stop.wait(0.5):
                peak["connections"] = max(peak["connections"], _connections(db))

        stop_watch = threading.Event()
        watcher = threading.Thread(target=watch, args=(stop_watch,), daemon=True)
        watcher.start()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        result["rush_seconds"] = time.perf_counter() - began
        stop_watch.set()
        watcher.join(5)
        result["answers"] = dict(answers)
        result["failures"] = failures[:5]
        result["latency_ms"] = {
            "p50": statistics.median(latencies), "p95": statistics.quantiles(latencies, n=20)[18], "max": max(latencies),
        } if latencies else {}
        result["connections_peak"] = peak["connections"]

        after = Visitor(run.port)
        result["after"] = {p: after.request("GET", p)[0] for p in ("/", "/events/", path, "/healthz")}
        with psycopg2.connect(host="127.0.0.1", user="postgres", dbname=db) as conn, conn.cursor() as cur:
            cur.execute("SELECT status, count(*) FROM events_registration WHERE event_id = %s GROUP BY status", [event_id])
            result["registrations"] = dict(cur.fetchall())
            cur.execute("SELECT seats_taken, waitlisted_count FROM events_event WHERE id = %s", [event_id])
            result["event_counters"] = cur.fetchone()

        # Connections after the rush, every 5 s, until they are back to the level before it.
        timeline = []
        settled_at = None
        waited = 0.0
        while waited <= settle:
            count = _connections(db)
            timeline.append((round(waited), count))
            if count <= result["connections_before"] and settled_at is None:
                settled_at = waited
                break
            time.sleep(5)
            waited += 5
        result["connections_timeline"] = timeline
        result["settled_after_seconds"] = settled_at
        result["after_settle_home"] = Visitor(run.port).request("GET", "/")[0]
    finally:
        result["run_exit"] = run.stop()
        _drop_database(db)
    return result


def print_result(r: dict) -> None:
    where = "all from one address" if r.get("one_address") else "each from its own address"
    print(f"\nThe README run command under a rush ({r['signups']} sign-ups from {r['clients']} clients at once, {where}, "
          f"{r['seats']} seats; database {r['db']}, demo data)")
    print(f"  started (setup + demo data + gunicorn, worker, beat): {r.get('startup_seconds', 0):.0f} s")
    print(f"  rush took {r.get('rush_seconds', 0):.1f} s; answers:")
    for kind, n in sorted(r.get("answers", {}).items()):
        print(f"    {n:4d}  {kind}")
    if r.get("latency_ms"):
        lat = r["latency_ms"]
        print(f"  time per sign-up (open form + send): p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, max {lat['max']:.0f} ms")
    print(f"  registrations: {r.get('registrations')}; event counters (seats taken, waiting): {r.get('event_counters')}")
    print(f"  right after: {r.get('after')}")
    print(f"  PostgreSQL connections of the portal: before {r.get('connections_before')}, peak {r.get('connections_peak')}, "
          f"after: {r.get('connections_timeline')}")
    settled = r.get("settled_after_seconds")
    print(f"  back to the level before the rush after: {f'{settled:.0f} s' if settled is not None else 'NOT within the wait'}")
    print(f"  home page after that: {r.get('after_settle_home')}; run.sh exit on Ctrl-C: {r.get('run_exit')}")
    if r.get("failures"):
        print(f"  failures: {r['failures']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--signups", type=int, default=240)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seats", type=int, default=40)
    parser.add_argument("--one-address", action="store_true", help="every client from 127.0.0.1")
    args = parser.parse_args()
    print_result(rush(signups=args.signups, clients=args.clients, seats=args.seats, one_address=args.one_address))


if __name__ == "__main__":
    main()
