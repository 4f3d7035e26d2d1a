"""Scaling out, rehearsed on one machine: the portal as it would run on several.

    .venv/bin/python bench/scaleout.py --scale small --seconds 10     # a quick run (a few minutes)
    .venv/bin/python bench/scaleout.py --scale small                  # the real run: 200 clients, 60 s a phase

Run as root (it starts PostgreSQL and PgBouncer as the user ``postgres``). Everything it
starts lives under one folder in /tmp, on ports of its own, and is stopped when it ends, is
interrupted or fails (``--keep`` leaves the folder for reading the logs):

- a PostgreSQL 15 cluster (Debian's /usr/lib/postgresql/15/bin: initdb, pg_ctl) as the
  primary, and a second cluster made from it by ``pg_basebackup -R`` as its streaming
  replica; never the machine's own server on 5432;
- PgBouncer (Debian's ``pgbouncer``) in transaction mode in front of both, so the portal runs
  with ``DATABASE_POOLER=1`` and ``DATABASE_REPLICA_URL`` as in production;
- its own redis-server (cache, sessions, broker), and moto's S3 server as the shared object
  storage (``STORAGE_S3_BUCKET``): the report a worker writes is downloaded through a web node;
- two gunicorn nodes behind nginx (own config and ports; ``proxy_next_upstream`` for
  idempotent requests), two Celery workers (each on every queue) and one beat.

Then, with ``bench/load.py``'s 200-client wrk load (public pages plus event sign-ups):

1. the load through nginx on one node, then on two nodes: throughput, latency, errors;
2. the load on two nodes while one is killed half-way: the errors are the requests in
   flight on it that nginx may not send again (POSTs); GETs are retried on the other node;
3. a report job, the worker running it killed mid-report: the sweep queues it again and the
   other worker finishes it; its file is downloaded from the shared storage through nginx;
4. replay paused on the replica (``pg_wal_replay_pause()``) during a rush of sign-ups: 0
   over-sold, 0 sign-ups lost, every person reads their own sign-up at once, and no read of a
   browser that has just written goes to the (stale) replica.

The printout ends with a checklist. On 2 shared cores two nodes are not faster than one:
both share the same CPUs with PostgreSQL, PgBouncer, nginx and wrk; the second node shows
what is kept when one is lost, not more throughput.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import psycopg2  # noqa: E402
from faults import Browser, OwnRedis, free_port, stop_process_group  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PY = str(ROOT / ".venv" / "bin" / "python")
DB = "kx"
BUCKET = "kx-scaleout"
# Variables of the calling shell that would make the portal a test run or point it elsewhere.
NOT_PASSED = ("PYTEST_VERSION", "DJANGO_SETTINGS_MODULE", "TEST_DATABASE_NAME", "TEST_REDIS_URL", "PYTEST_CURRENT_TEST",
              "DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "CELERY_BROKER_URL", "DATABASE_POOLER", "CONN_MAX_AGE")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def as_postgres(*cmd: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=check, capture_output=True, text=True,
                          **kwargs)


class Rehearsal:
    def __init__(self, args):
        self.args = args
        self.dir = Path(tempfile.mkdtemp(prefix="kx-scaleout-", dir="/tmp"))
        os.chmod(self.dir, 0o755)
        self.ports = {name: free_port() for name in ("primary", "replica", "bouncer", "one", "two", "s3")}
        self.procs: dict[str, subprocess.Popen] = {}
        self.started_clusters: list[Path] = []
        self.redis = None
        self.nginx_conf = self.dir / "nginx.conf"
        self.results: dict = {}

    # -- PostgreSQL: primary and streaming replica ------------------------------------------------------
    def start_clusters(self) -> None:
        pg = self.dir / "pg"
        pg.mkdir()
        shutil.chown(pg, "postgres", "postgres")
        primary, replica = pg / "primary", pg / "replica"
        as_postgres(str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.ports['primary']}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{pg}'\n"
                       "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nmax_connections = 200\n"
                       "shared_buffers = 256MB\n"
                       # UTC, as README advises: Django then sends no SET TIME ZONE on each
                       # of its connections (one per request behind PgBouncer).
                       "timezone = 'UTC'\n")
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self._pg_ctl(primary, "start")
        self.started_clusters.append(primary)
        as_postgres(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres",
                    "-D", str(replica), "-R", "-X", "stream", "-c", "fast")
        with open(replica / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {self.ports['replica']}\n")
        self._pg_ctl(replica, "start")
        self.started_clusters.append(replica)
        with closing(self.connect("replica", dbname="postgres")) as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery()")
            assert cur.fetchone()[0], "the second cluster is not a standby"
        with closing(self.connect("primary", dbname="postgres")) as conn, conn.cursor() as cur:
            cur.execute("SELECT state FROM pg_stat_replication")
            log(f"primary on {self.ports['primary']}, replica on {self.ports['replica']} ({cur.fetchone()[0]})")

    def _pg_ctl(self, data: Path, action: str) -> None:
        args = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-t", "120"]
        if action == "start":
            as_postgres(*args, "-l", str(data.parent / f"{data.name}.log"), "start")
        else:
            as_postgres(*args, "-m", "fast", "stop", check=False)

    def connect(self, which: str, dbname: str = DB):
        conn = psycopg2.connect(host="127.0.0.1", port=self.ports[which], user="postgres", dbname=dbname)
        conn.autocommit = True
        return conn

    # -- PgBouncer ----------------------------------------------------------------------------------------
    def start_pgbouncer(self) -> None:
        folder = self.dir / "pgbouncer"
        folder.mkdir()
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        (folder / "pgbouncer.ini").write_text(f"""[databases]
{DB} = host=127.0.0.1 port={self.ports['primary']} dbname={DB}
{DB}_replica = host=127.0.0.1 port={self.ports['replica']} dbname={DB}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.ports['bouncer']}
unix_socket_dir = {folder}
auth_type = trust
auth_file = {folder}/userlist.txt
admin_users = postgres
stats_users = postgres
pool_mode = transaction
max_client_conn = 2000
default_pool_size = {self.args.pool_size}
reserve_pool_size = 5
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = {folder}/pgbouncer.log
# SHOW STATS totals every second (default 60): the script counts transactions per database.
stats_period = 1
""")
        shutil.chown(folder, "postgres", "postgres")
        for item in folder.iterdir():
            shutil.chown(item, "postgres", "postgres")
        self.procs["pgbouncer"] = subprocess.Popen(
            ["runuser", "-u", "postgres", "--", "pgbouncer", str(folder / "pgbouncer.ini")],
            stdout=subprocess.DEVNULL, stderr=open(folder / "stderr.log", "w"), start_new_session=True,  # noqa: SIM115
        )
        for _ in range(100):
            try:
                psycopg2.connect(host="127.0.0.1", port=self.ports["bouncer"], user="postgres", dbname="pgbouncer").close()
                log(f"PgBouncer (transaction mode, {self.args.pool_size} server connections per database) on "
                    f"{self.ports['bouncer']}")
                return
            except psycopg2.OperationalError:
                time.sleep(0.1)
        raise RuntimeError(f"pgbouncer did not start; see {folder}")

    def bouncer_show(self, what: str) -> list[dict]:
        conn = psycopg2.connect(host="127.0.0.1", port=self.ports["bouncer"], user="postgres", dbname="pgbouncer")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"SHOW {what}")
            columns = [c.name for c in cur.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
        conn.close()
        return rows

    def transactions_by_database(self) -> dict[str, int]:
        return {row["database"]: int(row["total_xact_count"]) for row in self.bouncer_show("STATS")
                if row["database"] in (DB, f"{DB}_replica")}

    # -- the portal's environment ------------------------------------------------------------------------
    def env(self, *, direct: bool = False) -> dict:
        """The environment of every node and worker (``direct``: the primary without
        PgBouncer and without the replica, for migrate and this script's own checks)."""
        env = {k: v for k, v in os.environ.items() if k not in NOT_PASSED}
        bouncer = f"postgres://postgres@127.0.0.1:{self.ports['bouncer']}"
        env.update({
            "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "*", "LOG_LEVEL": "WARNING",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "scaleout-secret-key-" + "x" * 40),
            "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS", "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci1wciE="),
            "REDIS_URL": self.redis.url, "CACHE_KEY_PREFIX": "scaleout",
            "PUBLIC_FORM_ADDRESS_RATE": "100000000/h", "PUBLIC_FORM_PERSON_RATE": "100000000/h",
            "PUBLIC_FORM_SHARED_ADDRESS_RATE": "100000000/h",
            "PUBLIC_PAGE_CACHE_SECONDS": "0" if self.args.no_page_cache else "30",  # 30: the production default
            "TWO_FACTOR_REQUIRED": "0", "PROXY_COUNT": "1", "HEALTHZ_TOKEN": "scaleout-monitor",
            # The rush shows the pin; the lag limit (30 s by default) has its tests. On a busy
            # machine the paused replica may fall further behind than that before the end.
            "REPLICA_MAX_LAG_SECONDS": "300",
            "REPORT_HEARTBEAT_SECONDS": "1", "SLOW_SECTION_SECONDS": str(self.args.slow_section),
            "STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "STORAGE_S3_REGION": "us-east-1", "STORAGE_S3_ADDRESSING_STYLE": "path",
            "STORAGE_S3_ACCESS_KEY_ID": "scaleout", "STORAGE_S3_SECRET_ACCESS_KEY": "scaleout-secret",
            "MEDIA_ROOT": str(self.dir / "node-local-media"), "PRIVATE_MEDIA_ROOT": str(self.dir / "node-local-private"),
        })
        if direct:
            env.update({"DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports['primary']}/{DB}",
                        "DATABASE_POOLER": "0", "CONN_MAX_AGE": "0", "DATABASE_SERVER_TIMEOUTS": "0"})
        else:
            env.update({"DATABASE_URL": f"{bouncer}/{DB}", "DATABASE_REPLICA_URL": f"{bouncer}/{DB}_replica",
                        "DATABASE_POOLER": "1"})
        return env

    def start_object_storage(self) -> None:
        log_file = open(self.dir / "s3.log", "w")  # noqa: SIM115
        self.procs["s3"] = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(self.ports["s3"])],
            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        import boto3

        client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.ports['s3']}", region_name="us-east-1",
                              aws_access_key_id="scaleout", aws_secret_access_key="scaleout-secret")
        for _ in range(100):
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.2)
        self.s3 = client
        log(f"object storage (moto S3) on {self.ports['s3']}, bucket {BUCKET}")

    def prepare_data(self) -> None:
        with closing(self.connect("primary", dbname="postgres")) as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE {DB}")
        env = self.env(direct=True)
        started = time.monotonic()
        for args in (("migrate", "--noinput", "-v", "0"), ("collectstatic", "--noinput", "-v", "0"),
                     ("generate_data", "--scale", self.args.scale)):
            subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        with closing(self.connect("primary")) as conn, conn.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
        self.results["data_seconds"] = time.monotonic() - started
        # This process reads and writes the primary directly (its checks, the events it opens).
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        from events.models import Event, Registration
        from volunteers.models import Volunteer

        self.results["sizes"] = {"volunteers": Volunteer.objects.count(), "events": Event.objects.count(),
                                 "sign-ups": Registration.objects.count()}
        log(f"data --scale {self.args.scale} on the primary in {self.results['data_seconds']:.0f} s: {self.results['sizes']}")
        self.wait_replica_caught_up()

    def wait_replica_caught_up(self, timeout: float = 120) -> float:
        started = time.monotonic()
        with closing(self.connect("primary")) as primary, primary.cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn()")
            target = cur.fetchone()[0]
        with closing(self.connect("replica")) as replica, replica.cursor() as cur:
            while time.monotonic() - started < timeout:
                cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cur.fetchone()[0]:
                    return time.monotonic() - started
                time.sleep(0.1)
        raise RuntimeError("the replica did not catch up")

    # -- web nodes, nginx, workers, beat -----------------------------------------------------------------
    def start_node(self, name: str) -> int:
        port = self.ports.get(f"node-{name}") or free_port()
        self.ports[f"node-{name}"] = port
        self.procs[f"node-{name}"] = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", str(self.args.workers), "-b", f"127.0.0.1:{port}",
             "--backlog", "2048", "--log-level", "warning"],
            cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL, stderr=open(self.dir / f"node-{name}.log", "a"),  # noqa: SIM115
            start_new_session=True,
        )
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                return port
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"web node {name} did not start; see {self.dir}/node-{name}.log")

    def start_nginx(self) -> None:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / "nginx" / sub).mkdir(parents=True, exist_ok=True)
            os.chmod(self.dir / "nginx" / sub, 0o777)
        a, b = self.ports["node-a"], self.ports["node-b"]
        proxy = """
      proxy_pass http://%s;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      # A node that refuses or drops the connection: the request goes to the other one,
      # but only when it is idempotent (nginx never re-sends a POST unless told to).
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      client_max_body_size 20m;"""
        d = self.dir / "nginx"
        self.nginx_conf.write_text(f"""
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 8192; }}
http {{
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  log_format upstreams '$request_method $status "$upstream_addr" "$upstream_status"';
  upstream one {{ server 127.0.0.1:{a}; }}
  upstream two {{ server 127.0.0.1:{a} max_fails=1 fail_timeout=10s; server 127.0.0.1:{b} max_fails=1 fail_timeout=10s; }}
  server {{
    listen 127.0.0.1:{self.ports['one']};
    access_log {d}/one.log upstreams;
    location / {{ {proxy % 'one'} }}
  }}
  server {{
    listen 127.0.0.1:{self.ports['two']};
    access_log {d}/two.log upstreams;
    location / {{ {proxy % 'two'} }}
  }}
}}
""")
        subprocess.run(["nginx", "-c", str(self.nginx_conf), "-p", str(d)], check=True, capture_output=True)
        self.nginx_started = True
        log(f"nginx: one node on {self.ports['one']}, two nodes on {self.ports['two']}")

    def nginx_reopen_logs(self, which: str) -> Path:
        path = self.dir / "nginx" / f"{which}.log"
        path.write_text("")
        return path

    def start_worker(self, name: str):
        from tests.hardening import slow_worker

        full = f"{name}@scaleout-{os.getpid()}"
        self.procs[f"worker-{name}"] = slow_worker.start_worker(
            full, env=self.env(), queues="celery,mail,reports", log_path=self.dir / f"worker-{name}.log", timeout=120)
        return full

    def start_beat(self) -> None:
        self.procs["beat"] = subprocess.Popen(
            [PY, "-m", "celery", "-A", "config", "beat", "--loglevel=WARNING"],
            cwd=ROOT, env=self.env(), stdout=open(self.dir / "beat.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
            start_new_session=True,
        )

    # -- load ------------------------------------------------------------------------------------------
    def wrk(self, port_name: str, seconds: int, *, during=None) -> dict:
        """bench/load.py's rotation of public pages and sign-ups, through nginx."""
        import load

        base = f"http://127.0.0.1:{self.ports[port_name]}"
        placeholders = {"event": load._event_taking_signups()}
        script = self.dir / "load.lua"
        script.write_text(load.lua_script(base, load.ADDRESSES, placeholders))
        access = self.nginx_reopen_logs(port_name)
        subprocess.run(["nginx", "-c", str(self.nginx_conf), "-p", str(self.dir / "nginx"), "-s", "reopen"], check=True)
        time.sleep(0.3)
        before = self.transactions_by_database()
        peak = {"server": 0, "client": 0}
        stop = threading.Event()

        def watch():
            while not stop.wait(0.5):
                pools = [p for p in self.bouncer_show("POOLS") if p["database"] in (DB, f"{DB}_replica")]
                peak["server"] = max(peak["server"], sum(int(p["sv_active"]) + int(p["sv_idle"]) + int(p["sv_used"]) for p in pools))
                peak["client"] = max(peak["client"], sum(int(p["cl_active"]) + int(p["cl_waiting"]) for p in pools))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        timer = None
        if during is not None:
            timer = threading.Timer(seconds / 2, during)
            timer.start()
        out = subprocess.run(
            ["wrk", f"-t{self.args.threads}", f"-c{self.args.clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
             base + "/"], capture_output=True, text=True, check=True,
        ).stdout
        if timer is not None:
            timer.join()
        stop.set()
        time.sleep(1.5)  # PgBouncer's totals are updated every second
        watcher.join(5)
        after = self.transactions_by_database()
        line = next(line for line in out.splitlines() if line.startswith("WRKJSON "))
        f = json.loads(line[len("WRKJSON "):])
        f["rps"] = f["requests"] / (f["duration_us"] / 1e6)
        f["socket_errors"] = f["connect"] + f["read"] + f["write"] + f["timeout"]
        f["transactions"] = {db: after.get(db, 0) - before.get(db, 0) for db in {*before, *after}}
        f["peak_server_connections"] = peak["server"]
        f["peak_waiting_clients"] = peak["client"]
        f["nginx"] = self.read_access_log(access)
        return f

    @staticmethod
    def read_access_log(path: Path) -> dict:
        """Requests nginx sent to a second node, and the 5xx it answered, by method."""
        retried, errors = Counter(), Counter()
        for line in path.read_text().splitlines():
            m = re.match(r'(\S+) (\d+) "([^"]*)" "([^"]*)"', line)
            if not m:
                continue
            method, status, addrs, _statuses = m.groups()
            if "," in addrs:
                retried[f"{method} {status}"] += 1
            if status.startswith("5"):
                errors[f"{method} {status}"] += 1
        return {"retried on the other node": dict(retried), "5xx": dict(errors)}

    # -- report job, its worker killed -----------------------------------------------------------------
    def report_with_worker_killed(self, workers: dict[str, str]) -> dict:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
        from django.contrib.sessions.backends.cached_db import SessionStore

        from association.models import ReportJob
        from association.reports import services
        from association.tasks import run_report_job
        from tests.hardening import slow_worker

        year = 2000 + (int(time.time()) % 20)
        job, _ = services.request_report(report="annual", year=year, enqueue=False)
        timeline = []
        started = time.monotonic()

        def note(what):
            timeline.append((round(time.monotonic() - started, 1), what))

        run_report_job.apply_async(args=[job.pk], queue="reports")
        note("report job sent to the reports queue")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == "running" and slow_worker.SLOW_TITLE in (job.current_step or ""):
                break
            time.sleep(0.1)
        first = job.worker
        victim = next(key for key, full in workers.items() if full == first)
        slow_worker.kill(self.procs.pop(f"worker-{victim}"))
        note(f"SIGKILL {first} (job {job.status}, step: {job.current_step})")
        # What beat's sweep (association.sweep_report_jobs) does every two minutes, every
        # second here: a job whose heartbeat stopped is queued again once.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            services.fail_stale_jobs()
            job.refresh_from_db()
            if not job.is_active:
                break
            time.sleep(1)
        note(f"job {job.status} on {job.worker or '?'} (queued again {job.requeued}×)")
        outcome = {"status": job.status, "first_worker": first, "finished_by": job.worker, "requeued": job.requeued,
                   "timeline": timeline, "error": job.error}
        if job.status == ReportJob.Status.SUCCEEDED:
            outcome["file_in_bucket"] = [o["Key"] for o in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
                                         if o["Key"].endswith(".xlsx")]
            admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
                "scaleout-admin", "scaleout@example.org", "Scaleout-2025-abc")
            session = SessionStore()
            session[SESSION_KEY] = str(admin.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
            session.create()
            conn = http.client.HTTPConnection("127.0.0.1", self.ports["two"], timeout=30)
            conn.request("GET", f"/dashboard/reports/{job.pk}/xlsx/", headers={"Cookie": f"sessionid={session.session_key}"})
            response = conn.getresponse()
            body = response.read()
            outcome["download"] = f"HTTP {response.status}, {len(body):,} bytes, {'an xlsx (zip)' if body[:2] == b'PK' else 'NOT an xlsx'}"
            outcome["downloaded_ok"] = response.status == 200 and body[:2] == b"PK"
        return outcome

    # -- a rush of sign-ups while the replica is stale -------------------------------------------------
    def rush_with_replica_paused(self) -> dict:
        from datetime import timedelta

        from django.utils import timezone

        from association.models import Organization
        from events.models import Event

        seats, signups, clients = self.args.seats, self.args.signups, self.args.rush_clients
        start = timezone.now() + timedelta(days=3)
        event = Event.objects.create(
            title="全国科普日 · 青少年科学实验秀（扩展演练）", kind=Event.Kind.POPSCI_DAY,
            organiser=Organization.objects.order_by("pk").first(), start=start, end=start + timedelta(hours=2),
            venue="濮阳市科技馆", status=Event.Status.PUBLISHED, published_at=timezone.now(), registration_open=True,
            capacity=seats, waiting_list=True,
        )
        self.wait_replica_caught_up()
        with closing(self.connect("replica")) as replica, replica.cursor() as cur:
            cur.execute("SELECT pg_wal_replay_pause()")
            time.sleep(0.5)
            cur.execute("SELECT pg_get_wal_replay_pause_state()")
            pause_state = cur.fetchone()[0]
        path = f"/events/{event.pk}/register/"
        answers, missing, lock = Counter(), [], threading.Lock()
        accepted: list[str] = []
        barrier = threading.Barrier(clients)
        before = self.transactions_by_database()

        def client(index: int):
            barrier.wait()
            for n in range(index, signups, clients):
                visitor = Browser(self.ports["two"])  # a new browser per person: no pin before the sign-up
                name = f"演练{n:04d}"
                try:
                    status, html = visitor.submit(path, {"name": name, "mobile": f"1370000{n:04d}", "consent": "on",
                                                         "email": "", "organization": "", "website": ""})
                except OSError as exc:
                    with lock:
                        answers[f"connection failed: {type(exc).__name__}"] += 1
                    continue
                if status in (301, 302, 303):
                    with lock:
                        answers["accepted"] += 1
                        accepted.append(name)
                    # What the browser does next: its own sign-up page, then the events list
                    # (a page the replica serves to others; this browser is pinned).
                    own = self._follow(visitor, html)
                    # Its own query string: rendered afresh, not an anonymous cached copy.
                    listing, _ = visitor.request("GET", f"/events/?after-signup={n}")
                    if own is None or name not in own or listing != 200:
                        with lock:
                            missing.append(name)
                else:
                    with lock:
                        answers["error ≥500" if status >= 500 else f"HTTP {status} (told on the form)"] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
        seconds = time.perf_counter() - began
        time.sleep(1.5)  # PgBouncer's totals are updated every second
        during = self.transactions_by_database()
        conn = http.client.HTTPConnection("127.0.0.1", self.ports["two"], timeout=30)
        conn.request("GET", "/healthz", headers={"Authorization": "Bearer scaleout-monitor"})
        health = json.loads(conn.getresponse().read()).get("checks", {}).get("replica")
        # Browsers that have not written read the same list from the (stale) replica.
        observer = Browser(self.ports["two"])
        observed = Counter(observer.request("GET", f"/events/?observer={i}")[0] for i in range(20))
        time.sleep(1.5)
        observed_tx = self.transactions_by_database()
        with closing(self.connect("replica")) as replica, replica.cursor() as cur:
            cur.execute("SELECT count(*) FROM events_registration WHERE event_id = %s", [event.pk])
            on_replica = cur.fetchone()[0]
            cur.execute("SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")
            lag = float(cur.fetchone()[0])
            cur.execute("SELECT pg_wal_replay_resume()")
        caught_up = self.wait_replica_caught_up()
        with closing(self.connect("primary")) as primary, primary.cursor() as cur:
            cur.execute("SELECT status, count(*) FROM events_registration WHERE event_id = %s GROUP BY status", [event.pk])
            statuses = dict(cur.fetchall())
            cur.execute("SELECT name FROM events_registration WHERE event_id = %s", [event.pk])
            saved = {row[0] for row in cur.fetchall()}
            cur.execute("SELECT seats_taken, waitlisted_count FROM events_event WHERE id = %s", [event.pk])
            seats_taken, waiting = cur.fetchone()
        confirmed = statuses.get("confirmed", 0) + statuses.get("checked_in", 0)
        return {
            "seats": seats, "signups": signups, "clients": clients, "seconds": seconds, "pause_state": pause_state,
            "answers": dict(answers), "statuses": statuses, "seats_taken": seats_taken, "waiting": waiting,
            "over_sold": max(0, confirmed - seats) + (1 if seats_taken != confirmed else 0),
            "lost": len(set(accepted) - saved), "read_own_missing": len(missing), "missing_examples": missing[:5],
            "on_replica_while_paused": on_replica, "replica_lag_seconds": lag, "caught_up_seconds": caught_up,
            "replica_transactions_during_rush": during.get(f"{DB}_replica", 0) - before.get(f"{DB}_replica", 0),
            "primary_transactions_during_rush": during.get(DB, 0) - before.get(DB, 0),
            "observer_answers": dict(observed), "healthz_replica": health,
            "replica_transactions_for_observer": observed_tx.get(f"{DB}_replica", 0) - during.get(f"{DB}_replica", 0),
        }

    @staticmethod
    def _follow(visitor: Browser, html: str) -> str | None:
        """The page the sign-up's redirect pointed to (the person's own sign-up), as the
        browser opens it next."""
        location = getattr(visitor, "location", None)
        if not location:
            return None
        status, page = visitor.request("GET", location)
        return page if status == 200 else None

    # -- stop everything -------------------------------------------------------------------------------
    def stop_all(self) -> None:
        if getattr(self, "nginx_started", False):
            subprocess.run(["nginx", "-c", str(self.nginx_conf), "-p", str(self.dir / "nginx"), "-s", "stop"],
                           capture_output=True)
        for proc in list(self.procs.values()):
            if proc.poll() is None:
                stop_process_group(proc)
            log_file = getattr(proc, "log", None)
            if log_file is not None and not log_file.closed:
                log_file.close()
        self.procs.clear()
        for data in reversed(self.started_clusters):
            self._pg_ctl(data, "stop")
        self.started_clusters.clear()
        if self.redis is not None:
            self.redis.stop()
        if not self.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            print(f"logs and data kept in {self.dir}")


def patch_browser_redirects() -> None:
    """faults.Browser keeps cookies; here it also remembers where a redirect pointed."""
    original = Browser.request

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            from urllib.parse import urlencode

            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            self.location = None
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
                elif name.lower() == "location":
                    self.location = value
            return response.status, text
        finally:
            conn.close()

    Browser.request = request
    Browser._original_request = original


def print_load(label: str, f: dict) -> None:
    print(f"  {label:<34} {f['rps']:>7.0f} {f['p50'] / 1000:>8.1f} {f['p99'] / 1000:>8.1f} {f['requests']:>9,} "
          f"{f['s5xx']:>6} {f['s4xx']:>6} {f['socket_errors']:>7} {f['peak_server_connections']:>7} "
          f"{f['transactions'].get(DB + '_replica', 0):>9,}")


def main():
    parser = argparse.ArgumentParser(description="scaling out, rehearsed on this machine")
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seconds", type=int, default=60, help="seconds of load per phase")
    parser.add_argument("--clients", type=int, default=200, help="wrk connections")
    parser.add_argument("--threads", type=int, default=4, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per web node")
    parser.add_argument("--pool-size", type=int, default=20, help="PgBouncer server connections per database")
    parser.add_argument("--signups", type=int, default=240, help="sign-ups in the rush while the replica is paused")
    parser.add_argument("--rush-clients", type=int, default=32)
    parser.add_argument("--seats", type=int, default=40)
    parser.add_argument("--slow-section", type=float, default=6, help="seconds the report's extra section takes")
    parser.add_argument("--no-page-cache", action="store_true", help="render every page (PUBLIC_PAGE_CACHE_SECONDS=0)")
    parser.add_argument("--keep", action="store_true", help="keep the folder with the clusters and logs")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: PostgreSQL and PgBouncer are started as the user postgres")
    for tool in ("pgbouncer", "nginx", "wrk", "redis-server", "runuser"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (apt-get install -y pgbouncer nginx wrk redis-server)")
    patch_browser_redirects()
    r = Rehearsal(args)

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    checks: list[tuple[str, bool]] = []
    try:
        log(f"folder {r.dir}")
        r.start_clusters()
        r.start_pgbouncer()
        r.redis = OwnRedis().start()
        r.start_object_storage()
        r.prepare_data()
        r.start_node("a")
        r.start_node("b")
        r.start_nginx()
        workers = {"w1": r.start_worker("w1"), "w2": r.start_worker("w2")}
        r.start_beat()
        log(f"web nodes on {r.ports['node-a']} and {r.ports['node-b']} ({args.workers} gunicorn workers each), "
            f"workers {', '.join(workers.values())}, one beat")

        log(f"load: {args.clients} clients for {args.seconds} s through nginx, one node")
        one = r.wrk("one", args.seconds)
        log(f"load: {args.clients} clients for {args.seconds} s through nginx, two nodes")
        two = r.wrk("two", args.seconds)
        log("load on two nodes, node b killed half-way")
        killed_at = {}

        def kill_b():
            killed_at["t"] = f"{time.strftime('%H:%M:%S', time.gmtime())} UTC"
            stop_process_group(r.procs.pop("node-b"), signal.SIGKILL)

        failover = r.wrk("two", args.seconds, during=kill_b)
        r.start_node("b")  # back for what follows

        log("report job; the worker running it is killed mid-report")
        report = r.report_with_worker_killed(workers)
        log(f"rush of {args.signups} sign-ups for {args.seats} seats while the replica's replay is paused")
        rush = r.rush_with_replica_paused()

        print(f"\n== scaling out, rehearsed @ {args.scale} ==")
        print(f"  data: {r.results['sizes']}")
        print(f"  PostgreSQL 15 primary + streaming replica (pg_basebackup), PgBouncer transaction mode "
              f"({args.pool_size} server connections per database), two gunicorn nodes × {args.workers} workers behind "
              f"nginx, two Celery workers, one beat, S3 object storage (moto)")
        print(f"  load: wrk {args.clients} connections, {args.threads} threads, {args.seconds} s per phase, "
              f"public pages + event sign-ups (bench/load.py's rotation), "
              f"public page cache {'off' if args.no_page_cache else 'on'}")
        print(f"  {'phase':<34} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'5xx':>6} {'4xx':>6} "
              f"{'socket':>7} {'pg conns':>7} {'replica tx':>9}")
        print_load("one node", one)
        print_load("two nodes", two)
        print_load(f"two nodes, b killed at {killed_at.get('t', '?')}", failover)
        print(f"  nginx during the kill: {failover['nginx']}; wrk's socket errors: connect {failover['connect']}, "
              f"read {failover['read']}, write {failover['write']}, timeout {failover['timeout']}")
        print(f"  peak clients waiting at PgBouncer: one {one['peak_waiting_clients']}, two {two['peak_waiting_clients']}")
        print(f"\n  report, worker killed mid-report: {report['status']}, first on {report['first_worker']}, "
              f"finished by {report['finished_by']} (queued again {report['requeued']}×)")
        for t, what in report["timeline"]:
            print(f"    {t:>6.1f}s  {what}")
        if report.get("download"):
            print(f"    file in the bucket: {report.get('file_in_bucket')}; downloaded through nginx: {report['download']}")
        print(f"\n  rush with the replica paused ({rush['pause_state']}): {rush['signups']} sign-ups from {rush['clients']} "
              f"clients for {rush['seats']} seats in {rush['seconds']:.1f} s; answers {rush['answers']}")
        print(f"    on the primary: {rush['statuses']}; seats taken {rush['seats_taken']}, waiting {rush['waiting']}")
        print(f"    on the replica while paused: {rush['on_replica_while_paused']} sign-ups for the event "
              f"(lag {rush['replica_lag_seconds']:.1f} s); caught up {rush['caught_up_seconds']:.1f} s after resume")
        print(f"    transactions during the rush: primary {rush['primary_transactions_during_rush']:,}, replica "
              f"{rush['replica_transactions_during_rush']:,} (every browser had just written: all pinned to the primary)")
        print(f"    /healthz on the replica while paused: {rush['healthz_replica']}")
        print(f"    then 20 reads of the list by a browser that had not written: {rush['observer_answers']}, "
              f"replica transactions {rush['replica_transactions_for_observer']:,}")

        failover_post_errors = sum(n for k, n in failover["nginx"]["5xx"].items() if not k.startswith("GET"))
        failover_get_errors = sum(n for k, n in failover["nginx"]["5xx"].items() if k.startswith("GET"))
        checks = [
            ("0 errors on one node and on two", one["s5xx"] + one["socket_errors"] + two["s5xx"] + two["socket_errors"] == 0),
            ("node killed: no GET failed (nginx retried them on the other node)", failover_get_errors == 0),
            (f"node killed: errors only for POSTs in flight on it ({failover_post_errors})",
             failover["s5xx"] == failover_post_errors and failover_post_errors <= args.clients),
            ("report finished by the other worker", report["status"] == "succeeded"
             and report["finished_by"] not in ("", report["first_worker"])),
            ("report file downloaded from the shared storage", bool(report.get("downloaded_ok"))),
            ("0 over-sold", rush["over_sold"] == 0),
            ("0 lost sign-ups", rush["lost"] == 0),
            ("nobody read their own sign-up as missing", rush["read_own_missing"] == 0),
            ("the replica was really behind during the rush", rush["on_replica_while_paused"] == 0),
            ("no read of a browser that had just written went to the replica", rush["replica_transactions_during_rush"] == 0),
            ("the replica served the list to browsers that had not written",
             rush["replica_transactions_for_observer"] >= 20 and rush["observer_answers"] == {200: 20}),
            ("no error ≥500 in the rush", not any(k.startswith("error") or k.startswith("connection") for k in rush["answers"])),
        ]
        print("\n  checks:")
        for label, ok in checks:
            print(f"    [{'ok' if ok else 'FAILED'}] {label}")
    finally:
        log("stopping everything it started")
        r.stop_all()
    if not all(ok for _, ok in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
