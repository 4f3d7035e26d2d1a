"""Behind one nginx, every person keeps their own address.

Starts Debian's nginx in front of gunicorn (``PROXY_COUNT=1``), as the README deploys the
portal, and plays three scenes with clients connecting from their own loopback addresses
(127.0.0.x: the kernel delivers the whole 127/8 locally, so nginx sees a different client
for each):

1. 40 people from 40 addresses sign up for one event;
2. 40 people from one address (a school) sign up for another;
3. 22 strangers, each from their own address, fail to log in to a staff account (and to
   accounts of their own); then the staff member logs in from the office, and a colleague
   from one of the strangers' addresses;
4. a flood: the same strangers try 5 more times each; the staff member logs in again from
   their own browser, and from a browser never used before.

Printed: what each scene got, the addresses the portal recorded (log-in failures, the
gunicorn access log) against the addresses the clients used.

    .venv/bin/python bench/proxy.py

``tests/hardening/test_behind_proxy.py`` runs the same scenes against the test database.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from faults import Browser, free_port, start_gunicorn, stop_process_group  # noqa: E402

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;  # gunicorn's own access log masks private links (README)
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream portal {{ server 127.0.0.1:{upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 20m;
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""

LOGIN_FAILED = "请输入一个正确的"


class Nginx:
    def __init__(self, upstream: int):
        self.upstream = upstream
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kx-nginx-"))
        self.dir.chmod(0o777)
        self.proc = None

    def start(self):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        (self.dir / "nginx.conf").write_text(NGINX_CONF.format(dir=self.dir, upstream=self.upstream, port=self.port))
        self.proc = subprocess.Popen([binary, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        for _ in range(100):
            try:
                status, _html = Browser(self.port).request("GET", "/static/css/portal.css")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer; see {self.dir / 'error.log'}")

    def stop(self):
        if self.proc is not None:
            stop_process_group(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


def _sign_up(port: int, source: str, event_id: int, n: int) -> int:
    status, _html = Browser(port, source).submit(f"/events/{event_id}/register/", {
        "name": f"学生{n:03d}", "mobile": f"1380000{n:04d}", "consent": "on"})
    return status


def _log_in(browser: Browser, username: str, password: str) -> str:
    status, html = browser.submit("/accounts/login/", {"username": username, "password": password})
    if status in (301, 302):
        return "logged in"
    if status == 429:
        return "locked" if "已暂时锁定" in html else "slowed down"
    if 'name="captcha_0"' in html:
        return "asked for the picture code"
    return "wrong password" if LOGIN_FAILED in html else f"HTTP {status}"


def behind_nginx(env: dict, *, events: tuple[int, int], staff: tuple[str, str], colleague: tuple[str, str],
                 log_dir: Path, workers: int = 3) -> dict:
    """The three scenes against the portal on ``env``'s database; returns what was seen."""
    env = {**env, "PROXY_COUNT": "1", "PROXY_TRUSTED_IPS": ""}
    access_log = log_dir / "gunicorn-access.log"
    gunicorn, upstream = start_gunicorn({**env, "GUNICORN_CMD_ARGS": f"--access-logfile {access_log}"}, workers)
    nginx = Nginx(upstream)
    result: dict = {}
    try:
        nginx.start()
        many = [f"127.0.0.{10 + i}" for i in range(40)]
        result["forty_addresses"] = Counter(_sign_up(nginx.port, ip, events[0], i) for i, ip in enumerate(many))
        result["one_address"] = Counter(_sign_up(nginx.port, "127.0.1.1", events[1], 100 + i) for i in range(40))

        strangers = [f"127.0.2.{i + 1}" for i in range(22)]
        tries = Counter()
        for n, ip in enumerate(strangers):
            browser = Browser(nginx.port, ip)
            tries[_log_in(browser, staff[0], "wrong-" + staff[1])] += 1
            tries[_log_in(browser, f"nobody{n}", "wrong")] += 1
        result["strangers"] = tries
        office = Browser(nginx.port, "127.0.3.1")  # the staff member's own browser from now on
        result["staff_from_the_office"] = _log_in(office, *staff)
        office.request("POST", "/accounts/logout/", {})
        result["colleague_at_a_strangers_address"] = _log_in(Browser(nginx.port, strangers[0]), *colleague)

        # A flood: the same strangers try 5 more times each (110 failures on one account).
        flood = Counter()
        for ip in strangers:
            browser = Browser(nginx.port, ip)
            for _ in range(5):
                flood[_log_in(browser, staff[0], "wrong-" + staff[1])] += 1
        result["flood"] = flood
        result["staff_own_browser_after_flood"] = _log_in(office, *staff)
        result["staff_new_browser_after_flood"] = _log_in(Browser(nginx.port, "127.0.3.2"), *staff)
        time.sleep(0.5)
        seen = Counter(line.split(" ", 1)[0] for line in access_log.read_text().splitlines() if line.strip())
        result["access_log_addresses"] = len(seen)
        result["access_log_proxy_entries"] = seen.get("127.0.0.1", 0)
        result["access_log_sample"] = sorted(seen)[:3]
    finally:
        nginx.stop()
        stop_process_group(gunicorn)
    return result


def print_result(r: dict, failed_addresses: set[str] | None = None) -> None:
    print("\nBehind one nginx (PROXY_COUNT=1), clients from their own loopback addresses")
    print(f"  40 people from 40 addresses sign up:  {dict(r['forty_addresses'])}")
    print(f"  40 people from one address sign up:   {dict(r['one_address'])}")
    print(f"  22 strangers, each one wrong log-in to the staff account and one to an account of their own: "
          f"{dict(r['strangers'])}")
    print(f"  then the staff member from the office:  {r['staff_from_the_office']}")
    print(f"  a colleague at a stranger's address:    {r['colleague_at_a_strangers_address']}")
    print(f"  a flood, 5 more wrong tries each (110 on the staff account): {dict(r['flood'])}")
    print(f"  the staff member, own browser, after the flood: {r['staff_own_browser_after_flood']}; "
          f"a browser never used before: {r['staff_new_browser_after_flood']} (the reset e-mail lifts it)")
    print(f"  gunicorn access log: {r['access_log_addresses']} client addresses, {r['access_log_proxy_entries']} lines "
          f"with the proxy's 127.0.0.1 (sample {r['access_log_sample']})")
    if failed_addresses is not None:
        print(f"  log-in failures recorded from {len(failed_addresses)} addresses")


SETUP_SCRIPT = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from association.models import Organization
from events.models import Event
org, _ = Organization.objects.get_or_create(name="濮阳市科学技术协会", defaults={"kind": "association"})
start = timezone.now() + timedelta(days=5)
ids = []
for title in ("科普大篷车进校园", "青少年科技创新营"):
    e = Event.objects.create(title=title, kind=Event.Kind.SCIENCE_VAN, organiser=org, start=start,
                             end=start + timedelta(hours=3), venue="濮阳市科技馆", status=Event.Status.PUBLISHED,
                             published_at=timezone.now(), registration_open=True, capacity=100)
    ids.append(e.pk)
User = get_user_model()
for name in ("office", "colleague"):
    u = User.objects.create_user(name, f"{name}@kx.example.cn", "Kexie-Proxy-2026!", is_staff=True)
print("IDS", ids[0], ids[1])
"""


def main():
    db = f"bench_proxy_{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DATABASE_URL", "REDIS_URL")}
    env.update({
        "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "*", "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci1wciE=",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        "CACHE_KEY_PREFIX": db, "TWO_FACTOR_REQUIRED": "0",
    })
    py = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    try:
        subprocess.run([py, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([py, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"],
                       cwd=ROOT, env=env, check=True)
        out = subprocess.run([py, "manage.py", "shell", "-c", SETUP_SCRIPT], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout
        first, second = map(int, re.search(r"IDS (\d+) (\d+)", out).groups())
        with tempfile.TemporaryDirectory() as logs:
            result = behind_nginx(env, events=(first, second), staff=("office", "Kexie-Proxy-2026!"),
                                  colleague=("colleague", "Kexie-Proxy-2026!"), log_dir=Path(logs))
        addresses = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atc",
             "SELECT DISTINCT ip_address FROM axes_accessfailurelog"], capture_output=True, text=True).stdout.split()
        print_result(result, set(addresses))
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", db], check=False)


if __name__ == "__main__":
    main()
