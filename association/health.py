"""Health of the services the portal depends on, each probed for real."""

import time

from django.conf import settings
from django.db import connection


def _timed(probe):
    started = time.perf_counter()
    try:
        detail = probe()
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **(detail or {})}
    except Exception as exc:  # noqa: BLE001 - any failure means "not answering"
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def _celery():
    from association.celery import app

    workers = sorted(name for reply in app.control.ping(timeout=1.0) for name in reply)
    if not workers:
        raise RuntimeError("no Celery worker answered the ping")
    return {"workers": workers}


def check_all() -> dict:
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    # The workers are reached through the broker, so without Redis there is nobody to ask.
    checks["celery"] = _timed(_celery) if checks["redis"]["ok"] else {"ok": False, "error": "broker unavailable"}
    failing = [name for name, result in checks.items() if not result["ok"]]
    return {"status": "ok" if not failing else "unavailable", "failing": failing, "checks": checks}
