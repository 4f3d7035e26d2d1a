import pytest

from events.services import registrations


@pytest.fixture
def eager_celery():
    """Run Celery tasks in the test process (their e-mails land in mail.outbox)."""
    from association.celery import app

    # The app reads Django settings under the CELERY_ namespace, so these are the keys.
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.CELERY_TASK_EAGER_PROPAGATES = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_TASK_EAGER_PROPAGATES = False


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
