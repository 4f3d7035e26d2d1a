import pytest

from tests.association.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_public_pages_carry_a_strict_policy_without_inline_script(client):
    response = client.get("/organizations/")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_http_only(client):
    StaffFactory(username="office1")
    response = client.post("/accounts/login/", {"username": "office1", "password": "Passw0rd!23"}, REMOTE_ADDR="10.3.0.1")
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["csrftoken"]["httponly"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_raise_no_content_security_policy_violation_in_chromium(page, live_server):
    staff = StaffFactory(username="office1", is_superuser=True)
    assert staff.pk
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    for path in ["/", "/organizations/", "/accounts/password-reset/", "/accounts/login/"]:
        page.goto(page.base_url + path)
    page.fill("#id_username", "office1")
    page.fill("#id_password", "Passw0rd!23")
    page.click("button[type=submit]")
    for path in ["/admin/", "/admin/association/organization/add/", "/accounts/two-factor/"]:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
