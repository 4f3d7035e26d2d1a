"""Log-in limits that stop guessing but are no weapon against a named account.

A stranger guessing at someone's account locks only themselves out (the account from
their address); many strangers slow the account down for new browsers, never for the
owner's own; the e-mailed reset link ends every limit at once.
"""

import re

import pytest
from django.core import mail
from django.test import Client

from association.services import accounts as account_services
from tests.association.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd!23"


def _login(client, username, password, ip, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def test_a_stranger_guessing_at_a_staff_account_does_not_lock_its_owner_out(client):
    StaffFactory(username="office", email="office@kx.example.cn")
    for _ in range(5):
        _login(client, "office", "guess", ip="198.51.100.66")
    assert _login(client, "office", PASSWORD, ip="198.51.100.66").status_code == 429  # the guesser is locked
    client.cookies.clear()
    assert _login(client, "office", PASSWORD, ip="10.20.0.5").status_code == 302  # the owner at the office is not


def test_twenty_two_strangers_failing_lock_out_nobody_else(client, settings):
    settings.PROXY_COUNT = 1
    UserFactory(username="teacher")
    for n in range(22):
        _login(client, f"stranger{n}", "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        _login(client, "teacher", "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
    response = _login(client, "teacher", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302


def test_a_flood_of_guesses_from_everywhere_slows_the_account_down_with_growing_waits(client, settings):
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 6
    UserFactory(username="leader")
    for n in range(6):
        _login(client, "leader", "wrong", ip=f"203.0.113.{n + 1}")
    refused = _login(client, "leader", PASSWORD, ip="198.51.100.200")
    html = refused.content.decode()
    assert refused.status_code == 429 and "请 " in html and "后再试" in html
    assert "_auth_user_id" not in client.session
    assert 'href="/accounts/password-reset/"' in html


def test_the_owners_own_browser_is_never_slowed_down(client, settings):
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 3
    UserFactory(username="leader")
    assert _login(client, "leader", PASSWORD, ip="10.20.0.9").status_code == 302  # remembered from now on
    client.post("/accounts/logout/")  # as the person does: the browser keeps its cookies
    attacker = Client()
    for n in range(10):
        _login(attacker, "leader", "wrong", ip=f"203.0.113.{n + 1}")
    assert _login(attacker, "leader", PASSWORD, ip="203.0.113.200").status_code == 429
    assert _login(client, "leader", PASSWORD, ip="10.20.0.9").status_code == 302


def test_the_emailed_reset_link_lifts_the_lock_at_once(client, settings):
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 5
    user = UserFactory(username="kexie", email="kexie@kx.example.cn")
    for _ in range(5):
        _login(client, "kexie", "wrong", ip="10.30.0.1")
    assert _login(client, "kexie", PASSWORD, ip="10.30.0.1").status_code == 429
    assert _login(client, "kexie", PASSWORD, ip="10.30.0.2").status_code == 429  # slowed down everywhere
    account_services.send_password_reset(user.pk)  # the e-mail the worker sends
    link = re.search(r"http://[^\s]+/accounts/reset/[^\s]+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Lvse-Keji-2027", "new_password2": "Lvse-Keji-2027"})
    assert _login(client, "kexie", "Lvse-Keji-2027", ip="10.30.0.1").status_code == 302
