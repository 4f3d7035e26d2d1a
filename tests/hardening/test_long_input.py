"""Over-long input anywhere on the public side gets a Chinese message or is cut to size,
never an error page."""

import pytest

from tests.association.factories import StaffFactory

pytestmark = pytest.mark.django_db
LONG = "科" * 5000


def test_a_256_character_user_name_at_log_in_is_told_at_the_field(client):
    response = client.post("/accounts/login/", {"username": "a" * 256, "password": "whatever-1"}, REMOTE_ADDR="10.9.0.1")
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["用户名最多 150 个字符，请检查是否输入有误。"]
    assert 'value="' + "a" * 256 + '"' in response.content.decode()  # what was typed is kept


def test_the_real_account_can_still_log_in_after_an_over_long_attempt(client):
    StaffFactory(username="office1")
    client.post("/accounts/login/", {"username": "office1" + "x" * 300, "password": "wrong"}, REMOTE_ADDR="10.9.0.2")
    response = client.post("/accounts/login/", {"username": "office1", "password": "Passw0rd!23"}, REMOTE_ADDR="10.9.0.2")
    assert response.status_code == 302


@pytest.mark.parametrize("url", [
    "/news/", "/events/", "/events/calendar/", "/talents/experts/", "/talents/demands/", "/talents/awards/",
    "/organizations/", "/volunteers/certificates/verify/",
])
def test_a_5000_character_search_answers_normally(client, url):
    response = client.get(url, {"q": LONG, "code": LONG, "kind": LONG, "county": LONG, "page": LONG})
    assert response.status_code == 200


def test_a_5000_character_e_mail_for_a_password_reset_is_told_at_the_field(client):
    response = client.post("/accounts/password-reset/", {"email": LONG + "@example.org"})
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["email"])
    assert "不超过 254" in message, message
