"""Redis killed while people use the site: public pages keep answering, every form that
was accepted (volunteer registration, service order, event sign-up) is in the database, and the work kept in the outbox goes out once a worker is
up. Runs a short version of bench/faults.py against the test database (own redis-server,
gunicorn, a Celery worker)."""

import importlib.util
import os
import shutil

import pytest

from association.models import OutboxMessage
from tests.association.factories import CountyFactory
from tests.events.factories import EventFactory
from tests.volunteers.factories import ProjectFactory

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("bench_faults", os.path.join(ROOT, "bench", "faults.py"))
faults = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faults)

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


@pytest.fixture
def server_env(django_db_setup):
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "TEST_DATABASE_NAME": db["NAME"], "LOG_LEVEL": "WARNING"}


@pytest.mark.django_db(transaction=True)
def test_killing_redis_breaks_no_public_page_and_loses_no_form(server_env, tmp_path):
    CountyFactory(name="华龙区")
    ProjectFactory()
    EventFactory(capacity=20, waiting_list=True)

    result = faults.redis_outage(server_env, before=2.5, outage=4, after=3, get_threads=3, post_threads=3,
                                 gunicorn_workers=2, serial_base=950_000, log_dir=tmp_path)

    faults.print_outage(result)
    assert sum(result.phases["redis down"].values()) > 0, "no request was made while Redis was down"
    assert result.public_5xx == 0, result.phases
    down_posts = [k for k in result.refused_posts if k.endswith("redis down")]
    assert not down_posts, result.refused_posts
    assert result.registrations and result.orders and result.signups
    assert result.accepted_by_phase["signup:redis down"] > 0, result.accepted_by_phase
    # An order sends a task: with the broker gone it must go to the outbox at once, not wait
    # for kombu's connect retries (which let only ~1 order through every 6 s).
    assert result.accepted_by_phase["order:redis down"] >= 5, result.accepted_by_phase
    assert result.lost == 0, result.rows_found
    assert any(status == "down" for _t, phase, _code, status in result.health if phase == "redis down")
    assert result.outbox["waiting after the run"] > 0  # order links waited for the broker …
    assert result.outbox["waiting after a worker started"] == 0  # … and went out once it was back
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
