"""Fixtures shared by every app's tests: a real Celery worker and headless Chromium."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The real worker's name once ``celery_worker_process`` started it (it lives for the session).
WORKER_NAME = f"test-{os.getpid()}@{socket.gethostname()}"
_worker = {"running": False}
WORKER_MAIL_DIR = ROOT / ".pytest_cache" / "worker-mail"  # tests/worker_output.py reads it


@pytest.fixture(autouse=True)
def _two_factor_optional(settings):
    """Two-step log-in is optional unless a test turns it on (its tests do): the suite does
    not depend on the DEBUG the environment sets, whose opposite is the setting's default."""
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def pass_two_step():
    """Log ``user`` into ``client`` as one who passed two-step log-in in this session (an
    enrolled authenticator, its code accepted): ``pass_two_step(client, user)``."""
    from django.contrib.auth import SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def log_in(client, user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="身份验证器", confirmed=True
        )
        client.force_login(user)
        session = client.session
        assert session[SESSION_KEY] == str(user.pk)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return device

    return log_in


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    from association import fragments

    cache.clear()
    fragments.clear_local()
    yield


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real ``celery worker`` process on the test database and the test broker, serving
    every queue (mail, reports and the default one).

    Tests that use it must commit their data: mark them ``django_db(transaction=True)``.
    """
    from django.conf import settings
    from django.db import connection

    from config.celery import QUEUES, app

    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    # The worker's e-mail goes to files (one per connection) the tests read: WORKER_MAIL_DIR.
    shutil.rmtree(WORKER_MAIL_DIR, ignore_errors=True)
    WORKER_MAIL_DIR.mkdir(parents=True)
    env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0", "TEST_DATABASE_NAME": db["NAME"],
           "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(WORKER_MAIL_DIR)}
    app.control.purge()
    log_path = ROOT / ".pytest_cache" / "celery-worker.log"
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "-n", WORKER_NAME, "-Q", ",".join(QUEUES), "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 40
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("Celery worker exited; see .pytest_cache/celery-worker.log")
        if app.control.inspect(timeout=0.5).ping():
            break
    else:
        proc.kill()
        raise RuntimeError("Celery worker did not answer within 40 s")
    assert settings.CELERY_BROKER_URL
    _worker["running"] = True
    yield proc
    _worker["running"] = False
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (len(marker.args) > 0 and marker.args[0]))) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _worker_idle_before_the_database_is_emptied(request):
    """Once the real worker runs (a session fixture), it takes every task a committing test
    sends: a sign-up's notices, a report. A test that commits ends by emptying the tables
    (TRUNCATE), which must not meet the worker half-way through a task (PostgreSQL would
    call it a deadlock and the next test would start on the rows left behind). So before
    that, the queue is purged and the worker is waited for until it is idle."""
    if not _transactional(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before: torn down (TRUNCATE) after this
    yield
    if not _worker["running"]:
        return
    from config.celery import app

    app.control.purge()
    deadline = time.time() + 30
    while time.time() < deadline:
        # A solo-pool worker answers between tasks only: no answer means busy.
        replies = app.control.inspect(destination=[WORKER_NAME], limit=1, timeout=2).active()
        if replies and not any(replies.values()):
            return
        time.sleep(0.1)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def tree(db):
    """A city association, county A (with a township), county B and a 学会, each with accounts
    (``tests.association.factories.UnitTree``)."""
    from tests.association.factories import UnitTree

    return UnitTree()
