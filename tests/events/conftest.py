import pytest

from events.services import registrations


@pytest.fixture
def eager_celery(monkeypatch):
    """Run the tasks the services enqueue in the test process (their e-mails land in
    mail.outbox) instead of sending them to the broker."""
    from association import queue
    from config.celery import app

    app.loader.import_default_modules()  # the tasks modules, as a worker imports them at start

    def run_here(name, args, kwargs):
        app.tasks[name].apply(args=args, kwargs=kwargs, throw=True)

    monkeypatch.setattr(queue, "_send", run_here)


@pytest.fixture
def sign_up():
    def _sign_up(event, n=1, *, start=0, email=""):
        from tests.events.factories import mobile

        return [
            registrations.register(event_id=event.pk, name=f"报名人{i}", mobile=mobile(i), email=email)
            for i in range(start, start + n)
        ]

    return _sign_up


@pytest.fixture
def staff_with(db):
    """A staff member holding the given permissions ("events.check_in_registration", …)."""
    from django.contrib.auth.models import Permission

    from tests.association.factories import StaffFactory

    counter = {"n": 0}

    def _staff(*perms):
        counter["n"] += 1
        user = StaffFactory(username=f"staff{counter['n']}")
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return user

    return _staff
