"""Each staff group holds exactly what its work needs, as the apps declare it."""

import pytest
from django.contrib.auth.models import Group, Permission

from association import extensions
from association.roles import ACADEMIC, LEADERS, OFFICE, POPSCI, declared_permissions, sync_role_permissions
from tests.association.factories import StaffFactory
from tests.volunteers.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def staff_in(name):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=name))
    return user


def held(name) -> set[str]:
    rows = Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    return {f"{app}.{codename}" for app, codename in rows}


def test_academic_staff_cannot_browse_the_volunteers(client):
    volunteer = VolunteerFactory()
    client.force_login(staff_in(ACADEMIC))
    assert client.get("/admin/volunteers/volunteer/").status_code == 403
    assert client.get(f"/admin/volunteers/volunteer/{volunteer.pk}/change/").status_code == 403
    assert client.get("/admin/volunteers/membership/").status_code == 403


def test_what_each_group_holds_is_what_is_declared_and_a_stray_permission_goes_on_migrate():
    stray = Permission.objects.get(content_type__app_label="volunteers", codename="view_volunteer")
    for name in extensions.all_role_permissions():
        Group.objects.get(name=name).permissions.add(stray)
    sync_role_permissions()
    for name in extensions.all_role_permissions():
        group = Group.objects.get(name=name)
        assert set(group.permissions.values_list("pk", flat=True)) == declared_permissions(name), name
    assert "volunteers.view_volunteer" not in held(ACADEMIC) | held(OFFICE)
    assert "volunteers.view_volunteer" in held(POPSCI) | held(LEADERS)


def test_sync_runs_once_per_migrate_at_the_last_app():
    from django.apps import apps

    office = Group.objects.get(name=OFFICE)
    stray = Permission.objects.get(content_type__app_label="volunteers", codename="view_volunteer")
    office.permissions.add(stray)
    first = next(config for config in apps.get_app_configs() if config.models_module is not None)
    sync_role_permissions(sender=first)  # post_migrate of an app that is not the last: nothing yet
    assert office.permissions.filter(pk=stray.pk).exists()
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    sync_role_permissions(sender=last)
    assert not office.permissions.filter(pk=stray.pk).exists()


def test_every_declared_permission_exists():
    for name, specs in extensions.all_role_permissions().items():
        for spec in specs:
            app_label, _dot, codename = spec.partition(".")
            found = Permission.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                found = found.filter(codename__startswith=codename[:-1]) if codename.endswith("*") else found.filter(
                    codename=codename)
            assert found.exists(), f"{name}: {spec}"


def test_the_office_holds_its_own_work_and_not_the_operators():
    office = held(OFFICE)
    assert {"association.change_article", "association.change_page", "association.change_organization",
            "auth.add_user", "auth.change_user", "association.view_auditentry"} <= office
    assert not {"association.change_outboxmessage", "association.delete_outboxmessage", "association.view_retentionrun",
                "association.delete_auditentry", "auth.change_group"} & office
    assert not any(perm.startswith(("volunteers.", "events.", "talents.")) for perm in office)


def test_departments_pick_counties_and_teams_in_their_event_forms(client):
    from tests.events.factories import EventFactory
    from tests.volunteers.factories import TeamFactory

    county = EventFactory().county
    TeamFactory(name="化工新材料服务队")
    client.force_login(staff_in(ACADEMIC))
    for field, expected in (("teams", "化工新材料服务队"), ("county", county.name)):
        response = client.get("/admin/autocomplete/", {"app_label": "events", "model_name": "event", "field_name": field})
        assert response.status_code == 200, field
        assert expected in [row["text"] for row in response.json()["results"]]
