"""Nobody may grant a group or a permission they do not hold, nor edit an account with more
rights than their own; only a superuser changes what a group may do."""

import pytest
from django.contrib.auth.models import Group, Permission

from association.roles import ACADEMIC, OFFICE, POPSCI
from tests.association.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_in(*groups, **kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def group(name) -> Group:
    return Group.objects.get(name=name)


def account_form(user, **changes) -> dict:
    data = {
        "username": user.username, "first_name": "", "last_name": "", "email": "", "is_active": "on", "is_staff": "on",
        "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00", "groups": [],
    }
    data.update(changes)
    return data


@pytest.fixture
def clerk(client):
    user = staff_in(OFFICE, username="clerk")
    client.force_login(user)
    return user


def test_a_clerk_cannot_put_a_new_account_into_a_department_they_are_not_in(client, clerk):
    account = UserFactory(username="newcomer")
    response = client.post(f"/admin/auth/user/{account.pk}/change/", account_form(account, groups=[group(POPSCI).pk]))
    assert response.status_code == 200
    assert "不能授予您自己不属于的组：科学技术普及部。" in response.content.decode()
    assert not account.groups.exists()


def test_a_clerk_may_assign_their_own_group(client, clerk):
    account = UserFactory(username="newcomer")
    response = client.post(f"/admin/auth/user/{account.pk}/change/", account_form(account, groups=[group(OFFICE).pk]))
    assert response.status_code == 302
    assert list(account.groups.values_list("name", flat=True)) == [OFFICE]


def test_the_group_choices_offered_are_the_clerks_own(client, clerk):
    account = UserFactory(username="newcomer")
    html = client.get(f"/admin/auth/user/{account.pk}/change/").content.decode()
    select = html[html.index('name="groups"'):]
    select = select[:select.index("</select>")]
    assert OFFICE in select and POPSCI not in select and ACADEMIC not in select


def test_a_clerk_cannot_edit_an_account_with_more_rights(client, clerk):
    popsci = staff_in(POPSCI, username="popsci1")
    both = staff_in(OFFICE, POPSCI, username="both")
    for target in (popsci, both):
        response = client.post(f"/admin/auth/user/{target.pk}/change/", account_form(target, groups=[group(OFFICE).pk]))
        assert response.status_code == 403
        assert client.get(f"/admin/auth/user/{target.pk}/password/").status_code == 403
        assert client.post(f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
        assert POPSCI in target.groups.values_list("name", flat=True)
    # a single permission the clerk lacks counts as more rights too
    special = staff_in(OFFICE, username="special")
    special.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="volunteers"))
    assert client.post(f"/admin/auth/user/{special.pk}/change/", account_form(special, is_active="")).status_code == 403
    special.refresh_from_db()
    assert special.is_active


def test_a_clerk_edits_an_account_within_their_rights(client, clerk):
    colleague = staff_in(OFFICE, username="colleague")
    response = client.post(f"/admin/auth/user/{colleague.pk}/change/",
                           account_form(colleague, groups=[group(OFFICE).pk], first_name="小王"))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.first_name == "小王"


def test_superusers_assign_any_group(client, admin_user):
    client.force_login(admin_user)
    account = UserFactory(username="newcomer")
    response = client.post(f"/admin/auth/user/{account.pk}/change/", account_form(account, groups=[group(POPSCI).pk]))
    assert response.status_code == 302
    assert list(account.groups.values_list("name", flat=True)) == [POPSCI]


def test_only_a_superuser_changes_what_a_group_may_do(client):
    keeper = staff_in(OFFICE, username="keeper")
    keeper.user_permissions.add(*Permission.objects.filter(codename__in=["change_group", "view_group"]))
    client.force_login(keeper)
    office = group(OFFICE)
    before = set(office.permissions.values_list("pk", flat=True))
    volunteers = Permission.objects.get(codename="view_volunteer")
    page = client.get(f"/admin/auth/group/{office.pk}/change/").content.decode()
    assert 'name="permissions"' not in page  # shown, not editable
    client.post(f"/admin/auth/group/{office.pk}/change/", {"name": OFFICE, "permissions": [*before, volunteers.pk]})
    assert set(office.permissions.values_list("pk", flat=True)) == before
