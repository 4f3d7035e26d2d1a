"""接口令牌 in the admin: a unit's 管理员 makes a token for themselves, reads it once, sees
their unit's tokens only and revokes them; nothing of a token is edited."""

import re

import pytest

from association.api import auth as api_auth
from association.models import ApiToken, AuditEntry
from association.models.api import token_digest

pytestmark = pytest.mark.django_db
ADD, LIST = "/admin/association/apitoken/add/", "/admin/association/apitoken/"


def shown_key(html: str) -> str:
    return re.search(r'value="(kx_[^"]+)"', html).group(1)


def test_a_unit_admin_makes_a_token_for_themselves_and_reads_it_once(client, tree):
    client.force_login(tree.admin_a)
    form = client.get(ADD)
    assert form.status_code == 200 and 'name="name"' in form.content.decode()
    assert 'name="user"' not in form.content.decode() and 'name="kind"' not in form.content.decode()

    answer = client.post(ADD, {"name": "省科协数据交换"})
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    html = answer.content.decode()
    assert "只显示这一次" in html
    key = shown_key(html)
    token = ApiToken.objects.get()
    assert (token.user, token.kind, token.name) == (tree.admin_a, ApiToken.Kind.UNIT, "省科协数据交换")
    assert token.digest == token_digest(key) and key not in (token.digest, token.hint, token.name)
    assert token.hint == key[-4:]
    assert AuditEntry.objects.filter(action="接口令牌签发", actor=tree.admin_a).exists()
    # The key travels in no cookie (a message would) and is not on the list or the token's page.
    assert not any(key in morsel.value for morsel in answer.cookies.values())
    assert key not in client.get(LIST).content.decode()
    assert key not in client.get(f"{LIST}{token.pk}/change/").content.decode()
    # It works at once, for the unit's data exchange.
    assert client.get("/api/v1/exchange/events/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_unit_lists_its_own_tokens_with_their_state_and_not_a_neighbours(client, tree):
    mine, _key = api_auth.issue(user=tree.staff_a, kind=ApiToken.Kind.UNIT, name="华龙区对接")
    theirs, _key = api_auth.issue(user=tree.staff_b, kind=ApiToken.Kind.UNIT, name="濮阳县对接")
    api_auth.revoke(token_id=mine.pk, actor=tree.admin_a)
    client.force_login(tree.admin_a)
    html = client.get(LIST).content.decode()
    assert "华龙区对接" in html and f"…{mine.hint}" in html and "已撤销" in html
    assert "濮阳县对接" not in html
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code == 404
    api_auth.issue(user=tree.admin_a, kind=ApiToken.Kind.UNIT, name="正在用的")
    usable = client.get(f"{LIST}?state=usable").content.decode()
    assert "正在用的" in usable and "华龙区对接" not in usable
    assert "华龙区对接" in client.get(f"{LIST}?state=revoked").content.decode()


def test_revoking_a_token_ends_it_and_is_recorded(client, tree):
    token, key = api_auth.issue(user=tree.admin_a, kind=ApiToken.Kind.UNIT, name="要撤销的")
    client.force_login(tree.admin_a)
    answer = client.post(LIST, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "已撤销 1 个令牌。" in answer.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.state == "已撤销"
    assert AuditEntry.objects.filter(action="接口令牌撤销", actor=tree.admin_a).exists()
    assert client.get("/api/v1/exchange/events/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_neighbours_token_cannot_be_revoked_by_a_forged_selection(client, tree):
    theirs, key = api_auth.issue(user=tree.staff_b, kind=ApiToken.Kind.UNIT, name="濮阳县对接")
    client.force_login(tree.admin_a)
    client.post(LIST, {"action": "revoke", "_selected_action": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_nothing_of_a_token_is_edited_and_none_deleted(client, tree):
    token, _key = api_auth.issue(user=tree.admin_a, kind=ApiToken.Kind.UNIT, name="原用途")
    client.force_login(tree.admin_a)
    page = client.get(f"{LIST}{token.pk}/change/").content.decode()
    assert 'name="name"' not in page and 'name="digest"' not in page
    assert client.post(f"{LIST}{token.pk}/change/", {"name": "改过的"}).status_code == 403
    assert client.post(f"{LIST}{token.pk}/delete/", {"post": "yes"}).status_code == 403
    token.refresh_from_db()
    assert token.name == "原用途"


def test_a_units_staff_member_without_the_right_makes_no_token(client, tree):
    client.force_login(tree.staff_a)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"name": "试试"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_volunteers_tokens_are_listed_to_the_city_office_only(client, tree):
    from django.contrib.auth.models import Group

    from association.roles import LEADERS, OFFICE
    from tests.association.factories import StaffFactory, UserFactory

    api_auth.issue(user=UserFactory(username="13900001111"), kind=ApiToken.Kind.VOLUNTEER, name="微信小程序")
    api_auth.issue(user=tree.admin_a, kind=ApiToken.Kind.UNIT, name="华龙区对接")
    office, leader = StaffFactory(username="office"), StaffFactory(username="leader")
    office.groups.add(Group.objects.get(name=OFFICE))
    leader.groups.add(Group.objects.get(name=LEADERS))
    client.force_login(office)
    html = client.get(LIST).content.decode()
    assert "13900001111" in html and "华龙区对接" in html
    client.force_login(leader)
    html = client.get(LIST).content.decode()
    assert "13900001111" not in html and "华龙区对接" in html
