"""/healthz: a plain status for anyone; the detail (checks, errors, workers and their
queues) for logged-in staff and for monitoring that sends the HEALTHZ_TOKEN."""

import pytest

TOKEN = "kx-monitoring-7f3a9c"


@pytest.fixture
def monitoring(client, settings):
    """The way a monitoring system asks: with the bearer token."""
    settings.HEALTHZ_TOKEN = TOKEN

    def get():
        return client.get("/healthz", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    return get


def _workers_answer(monkeypatch, replies):
    """What the workers would answer to a broadcast (``[]``: none is running)."""
    from config.celery import app

    monkeypatch.setattr(app.control, "broadcast", lambda *args, **kwargs: replies)


def _consuming(*queues):
    return [{"worker-a@host": [{"name": name} for name in queues]}]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_healthz_is_ok_when_database_redis_and_worker_answer(monitoring, celery_worker_process):
    response = monitoring()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["celery"]["workers"]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_healthz_says_which_worker_serves_each_queue(monitoring, celery_worker_process):
    queues = monitoring().json()["checks"]["celery"]["queues"]
    assert set(queues) >= {"celery", "mail", "reports"}
    assert all(queues[name] for name in ("celery", "mail", "reports")), queues


@pytest.mark.django_db
def test_healthz_is_degraded_when_a_queue_has_no_worker(monitoring, monkeypatch):
    _workers_answer(monkeypatch, _consuming("celery", "reports"))
    response = monitoring()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["celery"]
    assert body["checks"]["celery"]["queues"]["mail"] == []
    assert "mail" in body["checks"]["celery"]["error"]


@pytest.mark.django_db
def test_healthz_names_redis_when_it_does_not_answer(monitoring, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"  # nothing listens there
    response = monitoring()
    assert response.status_code == 503
    body = response.json()
    assert "redis" in body["failing"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_degraded_not_down_when_no_worker_answers(monitoring, monkeypatch):
    _workers_answer(monkeypatch, [])  # every worker gone
    response = monitoring()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["celery"]


@pytest.mark.django_db
def test_healthz_is_degraded_when_tasks_wait_in_the_outbox(monitoring, settings):
    import datetime

    from django.utils import timezone

    from association.models import OutboxMessage

    settings.OUTBOX_STALE_SECONDS = 120
    message = OutboxMessage.objects.create(task_name="association.flush_outbox", args=[], kwargs={})
    OutboxMessage.objects.filter(pk=message.pk).update(created=timezone.now() - datetime.timedelta(minutes=5))
    response = monitoring()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert "outbox" in body["failing"]
    assert body["checks"]["outbox"]["ok"] is False


@pytest.mark.django_db
def test_healthz_fresh_outbox_message_is_not_yet_a_backlog(monitoring):
    from association.models import OutboxMessage

    OutboxMessage.objects.create(task_name="association.flush_outbox", args=[], kwargs={})
    body = monitoring().json()
    assert "outbox" not in body["failing"]
    assert body["checks"]["outbox"]["waiting"] == 1


@pytest.mark.django_db(transaction=True)
def test_healthz_is_down_when_the_database_does_not_answer(monitoring):
    from django.db import connection

    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = monitoring()
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert "database" in body["failing"]
    assert body["checks"]["redis"]["ok"] is True


@pytest.mark.django_db
def test_healthz_says_down_when_redis_is_gone(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"
    assert client.get("/healthz").json()["status"] == "down"


# -- who sees what ---------------------------------------------------------------------


@pytest.mark.django_db
def test_anyone_gets_the_status_alone_without_hosts_or_errors(client, monkeypatch):
    _workers_answer(monkeypatch, _consuming("celery", "mail"))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded"}
    assert "worker-a" not in response.content.decode()


@pytest.mark.django_db
def test_anyone_gets_down_with_its_status_code_and_no_error_text(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down"}


@pytest.mark.django_db
def test_staff_logged_in_see_the_detail_and_other_accounts_do_not(client, monkeypatch):
    from tests.association.factories import StaffFactory, UserFactory

    _workers_answer(monkeypatch, _consuming("celery", "mail", "reports"))
    client.force_login(UserFactory())
    assert set(client.get("/healthz").json()) == {"status"}
    client.force_login(StaffFactory())
    body = client.get("/healthz").json()
    assert body["checks"]["celery"]["workers"] == ["worker-a@host"]
    assert body["checks"]["celery"]["queues"]["mail"] == ["worker-a@host"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("configured", "sent"),
    [
        (TOKEN, f"Bearer {TOKEN}x"),  # wrong token
        (TOKEN, TOKEN),  # no scheme
        (TOKEN, f"Basic {TOKEN}"),  # another scheme
        ("", "Bearer "),  # no token configured: an empty one opens nothing
        ("", "Bearer"),
    ],
)
def test_a_wrong_or_missing_token_gets_the_status_alone(client, settings, configured, sent):
    settings.HEALTHZ_TOKEN = configured
    response = client.get("/healthz", HTTP_AUTHORIZATION=sent)
    assert set(response.json()) == {"status"}


@pytest.mark.django_db
def test_the_token_is_read_case_insensitively_for_its_scheme(client, settings):
    settings.HEALTHZ_TOKEN = TOKEN
    assert "checks" in client.get("/healthz", HTTP_AUTHORIZATION=f"bearer {TOKEN}").json()
