"""Health of the services the portal depends on, each probed for real.

Three answers, for the load balancer and for people:

- ``ok`` (200): the database, Redis and at least one Celery worker answer, and nothing
  waits in the outbox;
- ``degraded`` (200): the pages work, but background work is held up: no Celery worker
  answers, or tasks wait in the outbox longer than ``OUTBOX_STALE_SECONDS`` (they are sent
  once the broker and a worker are back; nothing is lost);
- ``down`` (503): the database or Redis does not answer.
"""

import time

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

ESSENTIAL = ("database", "redis")


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

    # One answer is enough to know the queue is served; waiting for every worker would make
    # each check last the whole timeout.
    workers = sorted(name for reply in app.control.ping(timeout=1.0, limit=1) for name in reply)
    if not workers:
        raise RuntimeError("no Celery worker answered the ping")
    return {"workers": workers}


def _outbox():
    from association.models import OutboxMessage

    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).aggregate(n=Count("id"), oldest=Min("created"))
    age = (timezone.now() - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0
    limit = getattr(settings, "OUTBOX_STALE_SECONDS", 120)
    result = {"waiting": waiting["n"], "oldest_seconds": round(age)}
    if age > limit:
        raise RuntimeError(f"{waiting['n']} task(s) waiting in the outbox, the oldest for {round(age)} s")
    return result


def check_all() -> dict:
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    # The workers are reached through the broker, so without Redis there is nobody to ask.
    checks["celery"] = _timed(_celery) if checks["redis"]["ok"] else {"ok": False, "error": "broker unavailable"}
    checks["outbox"] = _timed(_outbox) if checks["database"]["ok"] else {"ok": False, "error": "database unavailable"}
    failing = [name for name, result in checks.items() if not result["ok"]]
    if any(name in ESSENTIAL for name in failing):
        status = "down"
    elif failing:
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "failing": failing, "checks": checks}


@never_cache
def healthz(request):
    report = check_all()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)



