"""Pages opened by a private link or code are never kept by a browser, a proxy or the page
cache."""

from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from events.services import registrations
from tests.association.factories import StaffFactory, UserFactory
from tests.events.factories import EventFactory
from tests.volunteers.factories import OrderFactory, RecordFactory, VolunteerWithUserFactory
from volunteers.services import certificates

pytestmark = pytest.mark.django_db


def private(response) -> bool:
    control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= control


@pytest.fixture
def sign_up(db):
    return registrations.register(event_id=EventFactory(capacity=5).pk, name="王芳", mobile="13900000001")


@pytest.fixture
def certificate(db):
    volunteer = VolunteerWithUserFactory()
    RecordFactory(volunteer=volunteer, hours=Decimal("3"))
    return certificates.build(certificates.request_certificate(volunteer_id=volunteer.pk).pk)


def test_a_sign_ups_own_page_and_its_cancellation_are_never_stored(client, sign_up):
    assert private(client.get(f"/events/registration/{sign_up.token}/"))
    assert private(client.post(f"/events/registration/{sign_up.token}/cancel/"))


def test_an_orders_follow_up_page_is_never_stored(client):
    order = OrderFactory()
    assert private(client.get(f"/volunteers/orders/{order.token}/"))


def test_certificate_pages_and_downloads_are_never_stored(client, certificate):
    assert private(client.get(f"/volunteers/certificates/verify/{certificate.display_code}/"))
    assert private(client.get("/volunteers/certificates/verify/", {"code": certificate.display_code}))
    client.force_login(certificate.volunteer.user)
    assert private(client.get(f"/accounts/me/certificates/{certificate.pk}/download/"))


def test_the_password_reset_link_is_never_stored(client):
    user = UserFactory(email="wangfang@example.com")
    link = f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"
    response = client.get(link)
    assert private(response)
    assert private(client.get(response["Location"]))


def test_the_check_in_page_with_a_code_is_never_stored(client, sign_up, staff_with_check_in):
    client.force_login(staff_with_check_in)
    response = client.get(f"/events/{sign_up.event_id}/check-in/", {"code": sign_up.check_in_code})
    assert response.status_code == 200 and private(response)


def test_a_private_page_stays_out_of_the_public_page_cache_even_if_listed(client, sign_up, settings):
    page = f"/events/registration/{sign_up.token}/"
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    settings.PUBLIC_PAGE_CACHE_PATHS = [*settings.PUBLIC_PAGE_CACHE_PATHS, page]
    Client().get(page)
    assert "X-Page-Cache" not in Client().get(page)


@pytest.fixture
def staff_with_check_in(db):
    from django.contrib.auth.models import Permission

    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="check_in_registration"))
    return staff
