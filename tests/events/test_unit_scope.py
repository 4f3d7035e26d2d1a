"""A unit's staff work their own unit's events (and those of the units below it), never
another unit's: the admin, the check-in desk, the rosters, the reports."""

import io
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from association import roles
from association.reporting import ReportParams
from events.models import Event, EventOutcome, Registration, RosterExport
from events.reports import events_section
from events.services import exports
from tests.association.factories import StaffFactory
from tests.events.factories import EventFactory, EventOutcomeFactory, PastEventFactory
from tests.volunteers.factories import TeamFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


@pytest.fixture(autouse=True)
def _cleanup_files():
    yield
    for export in RosterExport.objects.exclude(file=""):
        export.file.delete(save=False)


@pytest.fixture
def events(tree, sign_up):
    """One event each of county A, its township, county B and the city, with sign-ups."""
    made = {
        "a": EventFactory(title="华龙区科普日主题活动", organiser=tree.county_a, county=tree.county_a_area),
        "township": EventFactory(title="岳村镇农技培训", organiser=tree.township_a, county=tree.county_a_area),
        "b": EventFactory(title="濮阳县蔬菜种植技术培训", organiser=tree.county_b, county=tree.county_b_area),
        "city": EventFactory(title="濮阳市学术年会", organiser=tree.city),
    }
    for index, event in enumerate(made.values()):
        sign_up(event, 2, start=index * 10)
    return made


@pytest.fixture
def city_staff(db):
    user = StaffFactory(username="popsci_clerk")
    user.groups.add(Group.objects.get(name=roles.POPSCI))
    return user


def _objects(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def _listed(client, url, **params):
    return {str(obj) for obj in _objects(client, url, **params)}


def _action(client, model, action, *objs, **extra):
    return client.post(f"/admin/events/{model}/", {"action": action, "_selected_action": [o.pk for o in objs], **extra})


def _event_form(organiser, **overrides):
    start = timezone.localtime() + timedelta(days=20)
    data = {
        "title": "华龙区科普日进社区", "kind": Event.Kind.POPSCI_DAY, "series": "", "summary": "科学实验秀走进社区。",
        "description": "", "start_0": f"{start:%Y-%m-%d}", "start_1": "09:00:00", "end_0": f"{start:%Y-%m-%d}",
        "end_1": "12:00:00", "venue": "华龙区胜利路街道社区科普馆", "county": "", "organiser": organiser.pk,
        "registration_open": "on", "capacity": "50", "registration_deadline_0": "", "registration_deadline_1": "",
        "waiting_list": "on",
        "outcome-TOTAL_FORMS": "0", "outcome-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def _rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in workbook.active.iter_rows(min_row=3, values_only=True)]


def test_a_county_makes_publishes_and_works_its_own_event_and_cannot_touch_another_countys(
    client, tree, events, sign_up
):
    client.force_login(tree.staff_a)

    # The add page starts with the county as organiser.
    page = client.get("/admin/events/event/add/")
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["organiser"] == tree.county_a.pk
    assert "华龙区科协" in page.content.decode()
    assert 'data-ajax--url="/admin/events/event/partners-autocomplete/"' in page.content.decode()

    # Naming county B as organiser is refused, and nothing is saved.
    count = Event.objects.count()
    refused = client.post("/admin/events/event/add/", _event_form(tree.county_b))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["organiser"]
    assert Event.objects.count() == count

    # With its own name (as pre-filled) the event is saved as a draft of the county's.
    response = client.post("/admin/events/event/add/", _event_form(tree.county_a, county=tree.county_a_area.pk))
    assert response.status_code == 302
    event = Event.objects.get(title="华龙区科普日进社区")
    assert (event.organiser, event.status, event.created_by) == (tree.county_a, Event.Status.DRAFT, tree.staff_a)

    # Published with the list's action, through the service.
    _action(client, "event", "publish", event)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and event.published_at

    # People sign up on the public page; the county sees them in its list of sign-ups.
    sign_up(event, 3, start=100)
    assert len(_objects(client, "/admin/events/registration/", event__id__exact=event.pk)) == 3
    everyone = _objects(client, "/admin/events/registration/")
    assert {r.event_id for r in everyone} == {event.pk, events["a"].pk, events["township"].pk}

    # It exports the roster (mobiles masked) and downloads it.
    response = _action(client, "event", "export_roster", event)
    export = RosterExport.objects.get(event=event)
    assert response["Location"] == f"/events/exports/{export.pk}/"
    assert client.get(f"/events/exports/{export.pk}/").status_code == 200
    download = client.get(f"/events/exports/{export.pk}/download/")
    assert download.status_code == 200
    rows = _rows(download)
    assert len(rows) == 3 and all("****" in row[2] for row in rows)

    # County B's event: no roster made from a forged selection, its sign-ups not listed,
    # its roster (made by the city) neither shown nor downloaded.
    other = events["b"]
    _action(client, "event", "export_roster", other)
    assert not RosterExport.objects.filter(event=other).exists()
    assert _objects(client, "/admin/events/registration/", event__id__exact=other.pk) == []
    city_export = exports.request_roster(event_id=other.pk, user=StaffFactory(username="city_clerk", is_superuser=True))
    assert client.get(f"/events/exports/{city_export.pk}/").status_code == 404
    assert client.get(f"/events/exports/{city_export.pk}/download/").status_code == 404
    assert client.get(f"/admin/events/rosterexport/{city_export.pk}/change/").status_code == 404
    assert _listed(client, "/admin/events/rosterexport/") == {str(export)}


def test_another_units_records_are_not_found_at_their_addresses(client, tree, events):
    other = events["b"]
    registration = other.registrations.first()
    outcome = EventOutcomeFactory(event=PastEventFactory(organiser=tree.county_b))
    export = exports.request_roster(event_id=other.pk, user=StaffFactory(username="city_clerk", is_superuser=True))
    client.force_login(tree.staff_a)
    for url in (
        f"/admin/events/event/{other.pk}/change/",
        f"/admin/events/event/{other.pk}/history/",
        f"/admin/events/event/{outcome.event_id}/change/",
        f"/admin/events/event/{events['city'].pk}/change/",
        f"/admin/events/registration/{registration.pk}/change/",
        f"/admin/events/rosterexport/{export.pk}/change/",
        f"/events/{other.pk}/check-in/",
        f"/events/exports/{export.pk}/",
        f"/events/exports/{export.pk}/download/",
    ):
        assert client.get(url).status_code == 404, url
    # Its own and its township's are there.
    for event in (events["a"], events["township"]):
        assert client.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
        assert client.get(f"/events/{event.pk}/check-in/").status_code == 200
    mine = events["a"].registrations.first()
    assert client.get(f"/admin/events/registration/{mine.pk}/change/").status_code == 200


def test_a_county_lists_its_own_and_its_townships_events_and_never_another_units(client, tree, events):
    client.force_login(tree.staff_a)
    assert _listed(client, "/admin/events/event/") == {"华龙区科普日主题活动", "岳村镇农技培训"}
    # Filtering by another unit's id finds nothing rather than its rows.
    assert _listed(client, "/admin/events/event/", organiser__id__exact=tree.county_b.pk) == set()
    assert _objects(client, "/admin/events/registration/", event__id__exact=events["b"].pk) == []
    assert _objects(client, "/admin/events/rosterexport/", event__id__exact=events["b"].pk) == []
    assert len(_objects(client, "/admin/events/registration/", event__id__exact=events["township"].pk)) == 2


def test_forged_ids_in_the_admin_actions_leave_another_units_rows_alone(client, tree, events):
    mine = EventFactory(title="华龙区科技活动周", organiser=tree.county_a, status=Event.Status.DRAFT, published_at=None)
    theirs = EventFactory(title="濮阳县科技活动周", organiser=tree.county_b, status=Event.Status.DRAFT, published_at=None)
    client.force_login(tree.staff_a)

    _action(client, "event", "publish", mine, theirs)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Event.Status.PUBLISHED, Event.Status.DRAFT)

    _action(client, "event", "cancel", events["b"], apply="确认取消活动", reason="场地临时检修")
    _action(client, "event", "finish", events["b"])
    _action(client, "event", "copy", events["b"])
    events["b"].refresh_from_db()
    assert events["b"].status == Event.Status.PUBLISHED
    assert not Event.objects.filter(title__startswith="濮阳县蔬菜种植技术培训（").exists()

    theirs_registration = events["b"].registrations.first()
    own_registration = events["a"].registrations.first()
    _action(client, "registration", "check_in", theirs_registration, own_registration)
    _action(client, "registration", "cancel_registrations", theirs_registration)
    theirs_registration.refresh_from_db()
    own_registration.refresh_from_db()
    assert theirs_registration.status == Registration.Status.CONFIRMED
    assert own_registration.status == Registration.Status.CHECKED_IN


def test_the_check_in_desk_serves_only_the_units_own_events(client, tree, events):
    theirs = events["b"].registrations.first()
    client.force_login(tree.staff_a)
    response = client.post(f"/events/{events['b'].pk}/check-in/", {"code": theirs.check_in_code})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.CONFIRMED

    own = events["township"].registrations.first()
    response = client.post(f"/events/{events['township'].pk}/check-in/", {"code": own.check_in_code})
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Registration.Status.CHECKED_IN


def test_autocompletes_offer_the_units_own_organisers_and_teams_and_any_partner(client, tree):
    TeamFactory(name="华龙区科普志愿服务队", organization=tree.county_a)
    TeamFactory(name="濮阳县科普志愿服务队", organization=tree.county_b)
    client.force_login(tree.staff_a)

    def found(field, term, url="/admin/autocomplete/"):
        response = client.get(url, {"app_label": "events", "model_name": "event", "field_name": field, "term": term})
        assert response.status_code == 200
        return {r["text"] for r in response.json()["results"]}

    assert found("organiser", "科协") == {"华龙区科协", "岳村镇科协"}
    assert found("teams", "服务队") == {"华龙区科普志愿服务队"}
    # Partners may be any organisation of the (public) directory.
    assert found("partners", "", url="/admin/events/event/partners-autocomplete/") == {
        "华龙区科协", "岳村镇科协", "濮阳县科协", "濮阳市科学技术协会", "濮阳市化工学会"}
    assert found("partners", "濮阳县", url="/admin/events/event/partners-autocomplete/") == {"濮阳县科协"}
    # Whatever model the request names, that address answers only with organisations.
    response = client.get("/admin/events/event/partners-autocomplete/",
                          {"app_label": "events", "model_name": "registration", "field_name": "event", "term": ""})
    assert {r["text"] for r in response.json()["results"]} <= {"华龙区科协", "岳村镇科协", "濮阳县科协",
                                                                "濮阳市科学技术协会", "濮阳市化工学会"}


def test_the_partners_autocomplete_is_for_staff_who_keep_events(client, tree):
    leader = StaffFactory(username="leader_li")
    leader.groups.add(Group.objects.get(name=roles.LEADERS))  # may view events, not change them
    client.force_login(leader)
    assert client.get("/admin/events/event/partners-autocomplete/", {"term": "科协"}).status_code == 403
    client.logout()
    assert client.get("/admin/events/event/partners-autocomplete/", {"term": "科协"}).status_code == 302


def test_a_county_names_any_partner_keeps_the_citys_team_and_cannot_add_another_units(client, tree, events):
    city_team = TeamFactory(name="乡村振兴服务队")
    own_team = TeamFactory(name="华龙区科普志愿服务队", organization=tree.county_a)
    other_team = TeamFactory(name="濮阳县科普志愿服务队", organization=tree.county_b)
    event = events["a"]
    event.teams.set([city_team])
    client.force_login(tree.staff_a)
    page = client.get(f"/admin/events/event/{event.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("partners", "teams", "cover")}
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    data.update({
        "start_0": f"{start:%Y-%m-%d}", "start_1": f"{start:%H:%M:%S}", "end_0": f"{end:%Y-%m-%d}",
        "end_1": f"{end:%H:%M:%S}", "registration_deadline_0": "", "registration_deadline_1": "",
        "registration_open": "on", "waiting_list": "on", "organiser": tree.county_a.pk, "county": tree.county_a_area.pk,
        "partners": [tree.society.pk, tree.county_b.pk], "teams": [city_team.pk, own_team.pk],
        "outcome-TOTAL_FORMS": "0", "outcome-INITIAL_FORMS": "0", "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    })
    response = client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(event.partners.all()) == {tree.society, tree.county_b}
    assert set(event.teams.all()) == {city_team, own_team}

    data["teams"] = [city_team.pk, other_team.pk]
    refused = client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["teams"]
    assert set(event.teams.all()) == {city_team, own_team}


def test_a_units_staff_record_their_own_events_outcomes_and_may_not_delete_events(client, tree):
    event = PastEventFactory(title="华龙区科普进校园", organiser=tree.county_a)
    EventOutcomeFactory(event=event, participants=420)
    client.force_login(tree.staff_a)
    page = client.get(f"/admin/events/event/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="outcome-0-participants" value="420"' in page.content.decode()  # their figures to keep
    assert 'name="photos-TOTAL_FORMS"' in page.content.decode()
    assert client.get(f"/admin/events/event/{event.pk}/delete/").status_code == 403
    assert EventOutcome.objects.get(event=event).participants == 420


def test_a_units_report_counts_its_subtrees_events_only(tree):
    day = datetime(2024, 9, 20, 9, tzinfo=TZ)
    for organiser, participants in ((tree.county_a, 100), (tree.township_a, 30), (tree.county_b, 500), (tree.city, 900)):
        EventOutcomeFactory(event=PastEventFactory(organiser=organiser, start=day, end=day + timedelta(hours=3)),
                            participants=participants)

    def totals(unit):
        table = events_section(ReportParams(year=2024, unit_id=unit.pk if unit else None))[0]
        return {row[0]: row[1] for row in table.rows}

    assert (totals(tree.county_a)["活动场次"], totals(tree.county_a)["参与人数"]) == (2, 130)
    assert (totals(tree.county_b)["活动场次"], totals(tree.county_b)["参与人数"]) == (1, 500)
    assert (totals(None)["活动场次"], totals(None)["参与人数"]) == (4, 1530)


def test_the_citys_departments_still_see_every_units_events(client, tree, events, city_staff):
    client.force_login(city_staff)
    assert _listed(client, "/admin/events/event/") == {e.title for e in events.values()}
    other = events["b"]
    assert client.get(f"/admin/events/event/{other.pk}/change/").status_code == 200
    assert client.get(f"/events/{other.pk}/check-in/").status_code == 200
    _action(client, "event", "export_roster", other)
    export = RosterExport.objects.get(event=other)
    assert client.get(f"/events/exports/{export.pk}/download/").status_code == 200
