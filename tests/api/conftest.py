"""What the API's tests share: a volunteer with a token, and a client that sends it."""

import pytest
from django.test import Client

from association.api import auth
from association.models import ApiToken


def token_for(user, name="测试小程序") -> str:
    return auth.issue(user=user, kind=ApiToken.Kind.VOLUNTEER, name=name)[1]


class ApiClient:
    """django's test Client speaking JSON, with ``Authorization: Bearer <token>`` when given."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, data=None, **extra):
        return self.client.get(path, data or {}, **self.headers, **extra)

    def post(self, path, payload=None, **extra):
        return self.client.post(path, payload or {}, content_type="application/json", **self.headers, **extra)


@pytest.fixture
def anonymous():
    return ApiClient()


@pytest.fixture
def volunteer(db):
    from tests.volunteers.factories import VolunteerWithUserFactory

    return VolunteerWithUserFactory(name="王建国", email="wang@example.org")


@pytest.fixture
def me(volunteer):
    """The volunteer's own API client (a fresh token)."""
    return ApiClient(token_for(volunteer.user))
