"""A Celery app for fault tests: the portal's own app plus one slow report section, so a
worker can be killed while a report is half done.

    celery -A tests.hardening.slow_worker worker ...

``start_worker`` and ``stop`` run such workers as separate process groups (SIGKILL of the
group is a machine losing the worker: no clean-up, no acknowledgement).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from association import reporting
from config.celery import app  # noqa: F401  (the app Celery loads)

ROOT = Path(__file__).resolve().parents[2]
SLOW_TITLE = "慢速统计（故障测试）"


@reporting.register_section("zz_slow_fault_test", SLOW_TITLE, order=9999)
def slow_section(params):
    seconds = float(os.environ.get("SLOW_SECTION_SECONDS", "3"))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
    return []


def start_worker(name: str, *, env: dict, queues: str = "celery", log_path: Path | None = None, timeout: float = 40,
                 wait: bool = True):
    """A solo-pool worker named ``name`` (celery@host style), ready when it answers a ping
    (``wait=False``: returned at once, for callers that watch the job instead)."""
    from config.celery import app as control_app

    log = open(log_path or os.devnull, "a")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.hardening.slow_worker", "worker", "--pool=solo", "--loglevel=INFO",
         "-n", name, "-Q", queues, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    proc.log = log
    if not wait:
        return proc
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker {name} exited; see {log_path}")
        if control_app.control.ping(destination=[name], timeout=0.5):
            return proc
    kill(proc)
    raise RuntimeError(f"worker {name} did not answer within {timeout} s")


def kill(proc) -> None:
    """SIGKILL to the worker's whole process group: gone at once, mid-task."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)
    proc.log.close()


def stop(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        kill(proc)
        return
    proc.log.close()
