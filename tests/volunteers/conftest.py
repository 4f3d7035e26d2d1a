import pytest

from tests.association.factories import CountyFactory


@pytest.fixture
def county(db):
    return CountyFactory(name="华龙区")


def valid_id(serial=7):
    from volunteers.idcard import synthetic_identity

    return synthetic_identity(serial)


@pytest.fixture
def registration_data(county):
    id_number, _birth, _gender = valid_id(700_001)
    return {
        "name": "周晓明", "id_number": id_number,
        "phone": "13812345678", "email": "zhou@example.org", "political_status": "jiusan", "education": "master",
        "title": "高级工程师", "title_level": "2", "field": "化工", "employer": "濮阳市化工研究所",
        "county": str(county.pk), "skills": "精细化工", "password1": "Kexie-2025-abc", "password2": "Kexie-2025-abc",
        "consent": "on", "id_consent": "on",
    }


@pytest.fixture
def eager_tasks(monkeypatch):
    """Tasks the services enqueue run at once in the test process, as a worker would run
    them (their e-mails land in mail.outbox). Tests run inside a transaction that never
    commits, so they are not held back until a commit."""
    from association import queue
    from config.celery import app

    app.loader.import_default_modules()  # the tasks modules, as a worker imports them at start

    def run_now(task, *args, **kwargs):
        task = app.tasks[task] if isinstance(task, str) else task
        task.apply(args=args, kwargs=kwargs, throw=True)

    monkeypatch.setattr(queue, "enqueue", run_now)
