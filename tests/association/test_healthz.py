import pytest


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_healthz_is_ok_when_database_redis_and_worker_answer(client, celery_worker_process):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["celery"]["workers"]


@pytest.mark.django_db
def test_healthz_names_redis_when_it_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert "redis" in body["failing"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_degraded_not_down_when_no_worker_answers(client, monkeypatch):
    from association.celery import app

    monkeypatch.setattr(app.control, "ping", lambda **kwargs: [])  # every worker gone
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["celery"]


@pytest.mark.django_db
def test_healthz_is_degraded_when_tasks_wait_in_the_outbox(client, settings):
    import datetime

    from django.utils import timezone

    from association.models import OutboxMessage

    settings.OUTBOX_STALE_SECONDS = 120
    message = OutboxMessage.objects.create(task_name="association.flush_outbox", args=[], kwargs={})
    OutboxMessage.objects.filter(pk=message.pk).update(created=timezone.now() - datetime.timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert "outbox" in body["failing"]
    assert body["checks"]["outbox"]["ok"] is False


@pytest.mark.django_db
def test_healthz_fresh_outbox_message_is_not_yet_a_backlog(client, settings):
    from association.models import OutboxMessage

    OutboxMessage.objects.create(task_name="association.flush_outbox", args=[], kwargs={})
    body = client.get("/healthz").json()
    assert "outbox" not in body["failing"]
    assert body["checks"]["outbox"]["waiting"] == 1


@pytest.mark.django_db(transaction=True)
def test_healthz_is_down_when_the_database_does_not_answer(client):
    from django.db import connection

    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = client.get("/healthz")
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
