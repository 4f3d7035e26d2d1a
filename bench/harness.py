"""Shared benchmark harness: data at a scale, per-page figures, load against gunicorn.

A benchmark script does::

    from harness import Bench
    bench = Bench.from_argv("news")              # --scale small|large, own database per scale
    bench.prepare()                              # migrate + generate_data (skipped when done)
    bench.page("/news/")                         # SQL queries, p50/p95 server time
    bench.load(["/", "/news/"])                  # throughput under concurrent load, gunicorn 2 workers
    bench.report()

Figures are printed as a table with the data size; nothing is asserted here, the bars are
read by people and written into the closing notes.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv" / "bin" / "python")

import environ  # noqa: E402

# BENCH_DB_PREFIX and BENCH_REDIS_URL may come from .env; settings are overridden below.
environ.Env.read_env(ROOT / ".env", overwrite=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, name: str, scale: str, *, db_name: str | None = None, repeat: int = 60, duration: int = 10,
                 concurrency: int = 16):
        self.name = name
        self.scale = scale
        self.db_name = db_name or f"{os.environ.get('BENCH_DB_PREFIX', 'bench')}_{scale}"
        self.repeat = repeat
        self.duration = duration
        self.concurrency = concurrency
        self.rows: list[dict] = []
        self.load_rows: list[dict] = []
        self.notes: list[str] = []
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "*",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.db_name}",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
            "CACHE_KEY_PREFIX": f"bench-{self.db_name}",
            "LOG_LEVEL": "WARNING",
            # Per-page figures are what rendering a page costs; bench/load.py turns the
            # public page cache back on for its run.
            "PUBLIC_PAGE_CACHE_SECONDS": "0",
            # Staff pages are measured with clients logged in by force_login, which passes
            # no second step; two-step log-in has its own tests.
            "TWO_FACTOR_REQUIRED": "0",
        }
        if not os.environ.get("FIELD_ENCRYPTION_KEYS"):
            self.env["FIELD_ENCRYPTION_KEYS"] = "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci1wciE="
        os.environ.update(self.env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    @classmethod
    def from_argv(cls, name: str, **kwargs) -> "Bench":
        parser = argparse.ArgumentParser(description=f"benchmark: {name}")
        parser.add_argument("--scale", choices=["small", "medium", "large"], default="small")
        parser.add_argument("--repeat", type=int, default=kwargs.pop("repeat", 60))
        parser.add_argument("--duration", type=int, default=kwargs.pop("duration", 10), help="seconds of load per address")
        parser.add_argument("--concurrency", type=int, default=kwargs.pop("concurrency", 16))
        args = parser.parse_args()
        return cls(name, args.scale, repeat=args.repeat, duration=args.duration, concurrency=args.concurrency, **kwargs)

    # -- data --------------------------------------------------------------------------
    def manage(self, *args: str) -> None:
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def prepare(self) -> None:
        subprocess.run([PY, "scripts/check_services.py"], cwd=ROOT, env=self.env, check=True)
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        started = time.perf_counter()
        self.manage("generate_data", "--scale", self.scale)
        self.notes.append(f"generate_data --scale {self.scale}: {time.perf_counter() - started:.0f} s (0 when already there)")
        import django

        django.setup()
        import gc

        from django.db import connection

        gc.freeze()  # as each gunicorn worker does once the portal is loaded (gunicorn.conf.py)
        with connection.cursor() as cur:
            # VACUUM too: after a migration that rewrote rows (on a server with autovacuum
            # off, as here) counts would read every heap page instead of the index.
            cur.execute("VACUUM (ANALYZE)")

    def sizes(self, **counts: int) -> None:
        """Record the data size the figures were measured on."""
        self.notes.append("data: " + ", ".join(f"{k}={v:,}" for k, v in counts.items()))

    # -- per page ------------------------------------------------------------------------
    def page(self, path: str, *, label: str | None = None, client=None, expect: int = 200) -> dict:
        from django.db import reset_queries
        from django.test import Client

        client = client or Client()
        response = client.get(path)  # warm-up: caches, connections
        assert response.status_code == expect, f"{path}: {response.status_code}"
        with count_queries() as counted:
            client.get(path)
        queries = counted[0]
        times = []
        for _ in range(self.repeat):
            reset_queries()
            t = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        row = {
            "page": label or path,
            "queries": queries,
            "p50_ms": statistics.median(times),
            "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
        }
        self.rows.append(row)
        return row

    def timed(self, label: str, func, *, repeat: int | None = None) -> dict:
        """p50/p95 of a callable (a service or selector), with its query count."""
        func()
        with count_queries() as counted:
            func()
        times = []
        for _ in range(repeat or self.repeat):
            t = time.perf_counter()
            func()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        row = {"page": label, "queries": counted[0], "p50_ms": statistics.median(times),
               "p95_ms": times[max(0, int(len(times) * 0.95) - 1)]}
        self.rows.append(row)
        return row

    # -- a real Celery worker ----------------------------------------------------------------
    @contextmanager
    def celery_worker(self, queue: str):
        """A Celery worker (prefork, one process) on ``queue`` for the block, answering pings
        before the block starts; stopped after it."""
        from config.celery import app

        name = f"bench-{os.getpid()}-{queue}@%h"
        log = open(ROOT / "bench" / f".worker-{os.getpid()}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [PY, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "-c", "1", "-Q", queue, "-n", name,
             "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env={**self.env, "CONN_MAX_AGE": "60"}, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.time() + 60
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"worker exited; see {log.name}")
                replies = app.control.inspect(timeout=0.5).ping() or {}
                if any(key.startswith(name.split("@")[0] + "@") for key in replies):
                    break
                if time.time() > deadline:
                    raise RuntimeError("worker did not answer within 60 s")
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
            os.unlink(log.name)

    @staticmethod
    def run_report_job(job, queue: str) -> float:
        """Send a report job to the worker on ``queue``; seconds until it is done (raises if
        it failed)."""
        from association.models import ReportJob
        from association.tasks import run_report_job

        started = time.perf_counter()
        run_report_job.apply_async(args=[job.pk], queue=queue)
        while True:
            job.refresh_from_db()
            if not job.is_active:
                break
            time.sleep(0.05)
        if job.status != ReportJob.Status.SUCCEEDED:
            raise RuntimeError(f"report failed: {job.error}")
        return time.perf_counter() - started

    # -- load ----------------------------------------------------------------------------
    def gunicorn(self, workers: int = 2, *, env: dict | None = None, extra: tuple[str, ...] = ()):
        """Start gunicorn on a free port and wait until it serves; returns (process, base URL)."""
        port = _free_port()
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "--timeout", "60", *extra],
            cwd=ROOT, env=env or self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        import urllib.request

        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/static/css/portal.css", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        return proc, base

    def load(self, paths: list[str], *, workers: int = 2, ceiling: str = "/static/css/portal.css") -> None:
        if not shutil.which("wrk"):
            self.notes.append("wrk not installed (apt-get install wrk): no load figures")
            return
        proc, base = self.gunicorn(workers)
        try:
            for path in [ceiling, *paths]:
                out = subprocess.run(
                    ["wrk", "-t2", f"-c{self.concurrency}", f"-d{self.duration}s", "--latency", base + path],
                    capture_output=True, text=True, check=True,
                ).stdout
                self.load_rows.append({"page": path + ("  (static ceiling)" if path == ceiling else ""), **_parse_wrk(out)})
        finally:
            proc.terminate()
            proc.wait(10)

    # -- output --------------------------------------------------------------------------
    def report(self) -> None:
        print(f"\n== {self.name} @ {self.scale} ==")
        for note in self.notes:
            print("  " + note)
        if self.rows:
            print(f"  {'page':<48} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
            for r in self.rows:
                print(f"  {r['page']:<48} {r['queries']:>7} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}")
        if self.load_rows:
            print(f"  load: gunicorn 2 workers, wrk {self.concurrency} connections, {self.duration} s each")
            print(f"  {'address':<48} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7}")
            for r in self.load_rows:
                print(f"  {r['page']:<48} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['non2xx']:>8} {r['errors']:>7}")


@contextmanager
def count_queries():
    """Counts SQL statements at the connection, so requests resetting Django's query log
    (the test client does) don't hide them. Yields a one-item list holding the count."""
    from django.db import connection

    counted = [0]

    def wrapper(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counted


def _ms(text: str) -> float:
    text = text.strip()
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def _parse_wrk(out: str) -> dict:
    result = {"rps": 0.0, "p50": 0.0, "p99": 0.0, "non2xx": 0, "errors": 0}
    for line in out.splitlines():
        parts = line.split()
        if line.strip().startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        elif parts[:1] == ["50%"]:
            result["p50"] = _ms(parts[1])
        elif parts[:1] == ["99%"]:
            result["p99"] = _ms(parts[1])
        elif "Non-2xx or 3xx responses:" in line:
            result["non2xx"] = int(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            result["errors"] = sum(int(p.strip(",")) for p in parts if p.strip(",").isdigit())
    return result
