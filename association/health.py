"""Health of the services the portal depends on, each probed for real.

Three answers, for the load balancer and for people:

- ``ok`` (200): the database, Redis and a Celery worker on each queue (``celery``, ``mail``,
  ``reports``) answer, and nothing waits in the outbox;
- ``degraded`` (200): the pages work, but background work is held up: no Celery worker
  answers, a queue has no worker, or tasks wait in the outbox longer than
  ``OUTBOX_STALE_SECONDS`` (they are sent once the broker and a worker are back; nothing
  is lost);
  (With a read replica: it is further behind than ``REPLICA_MAX_LAG_SECONDS`` or does not
  answer, and the primary serves its reads meanwhile.)
- ``down`` (503): the database or Redis does not answer.

Anyone gets the status alone. The detail (which check failed and why, worker host names,
which queues have a worker) is for logged-in staff and for monitoring that sends
``Authorization: Bearer <HEALTHZ_TOKEN>``; with ``HEALTHZ_TOKEN`` empty only staff see it.
"""

import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import dbrouting

logger = logging.getLogger(__name__)

ESSENTIAL = ("database", "redis")
# Workers are asked which queues they consume; the answer waits this long after the last
# reply (as long as the ping it replaces waited for the first), so a fresh answer costs
# about this much.
WORKER_REPLY_SECONDS = 1.0
# ... and is shared by every request for a few seconds: a crowd asking /healthz (or many
# load balancers) does not turn into a broadcast to every worker per request.
WORKER_ANSWER_CACHE_SECONDS = 5
WORKER_ANSWER_CACHE_KEY = "healthz:celery"


class Unhealthy(Exception):
    """A failed check that still has detail to show."""

    def __init__(self, message: str, **detail):
        super().__init__(message)
        self.detail = detail


def _timed(probe):
    started = time.perf_counter()
    try:
        detail = probe()
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **(detail or {})}
    except Unhealthy as exc:
        return {"ok": False, "error": str(exc)[:200], **exc.detail}
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


def _workers_by_queue() -> dict:
    from celery import current_app as app

    replies = app.control.inspect(timeout=WORKER_REPLY_SECONDS).active_queues() or {}
    queues = {name: [] for name in app.amqp.queues}  # the queues the project declares
    for worker, consumed in sorted(replies.items()):
        for queue in consumed or []:
            queues.setdefault(queue["name"], []).append(worker)
    return {"workers": sorted(replies), "queues": queues}


def _celery():
    answer = cache.get(WORKER_ANSWER_CACHE_KEY)
    if answer is None:
        answer = _workers_by_queue()
        cache.set(WORKER_ANSWER_CACHE_KEY, answer, WORKER_ANSWER_CACHE_SECONDS)
    if not answer["workers"]:
        raise Unhealthy("no Celery worker answered", **answer)
    idle = [name for name, workers in answer["queues"].items() if not workers]
    if idle:
        raise Unhealthy(f"no Celery worker consumes queue(s): {', '.join(idle)}", **answer)
    return answer


def _outbox():
    from association.models import OutboxMessage

    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).aggregate(n=Count("id"), oldest=Min("created"))
    age = (timezone.now() - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0
    limit = getattr(settings, "OUTBOX_STALE_SECONDS", 120)
    result = {"waiting": waiting["n"], "oldest_seconds": round(age)}
    if age > limit:
        raise Unhealthy(f"{waiting['n']} task(s) waiting in the outbox, the oldest for {round(age)} s", **result)
    return result


def _replica():
    state = dbrouting.replica_state()
    if not state["usable"]:
        reason = state["error"] or f"{state['lag_seconds']} s behind (at most {state['max_lag_seconds']} s)"
        raise Unhealthy(f"the replica gets no reads: {reason}", **state)
    return state


def check_all() -> dict:
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    # The workers are reached through the broker, so without Redis there is nobody to ask.
    checks["celery"] = _timed(_celery) if checks["redis"]["ok"] else {"ok": False, "error": "broker unavailable"}
    checks["outbox"] = _timed(_outbox) if checks["database"]["ok"] else {"ok": False, "error": "database unavailable"}
    if dbrouting.replica_configured():
        checks["replica"] = _timed(_replica)
    failing = [name for name, result in checks.items() if not result["ok"]]
    if any(name in ESSENTIAL for name in failing):
        status = "down"
    elif failing:
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "failing": failing, "checks": checks}


def _bearer_token_matches(request) -> bool:
    expected = getattr(settings, "HEALTHZ_TOKEN", "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def may_see_detail(request) -> bool:
    if _bearer_token_matches(request):
        return True
    try:
        return bool(request.user.is_authenticated and request.user.is_staff)
    except Exception:  # noqa: BLE001 - a session store that does not answer makes nobody staff
        logger.warning("healthz: the session could not be read; answering without detail")
        return False


@never_cache
def healthz(request):
    report = check_all()
    body = report if may_see_detail(request) else {"status": report["status"]}
    return JsonResponse(body, status=503 if report["status"] == "down" else 200)
