"""The same attacks on the event sign-up and the news: arbitrary input to the sign-up form
(Hypothesis), draft articles and events, other people's registrations, the check-in desk,
roster exports and the news admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from hypothesis import given

from association.roles import ACADEMIC, LEADERS, OFFICE, POPSCI
from events.forms import RegistrationForm
from events.models import Event, Registration, RosterExport
from tests.association.factories import ArticleFactory, StaffFactory, UserFactory
from tests.events.factories import EventFactory
from tests.volunteers.factories import VolunteerWithUserFactory

from .test_public_forms_fuzz import (
    FORM_RUNS,
    NASTY,
    SCRIPT,
    VIEW_RUNS,
    assert_no_markup,
    assert_refused_in_chinese,
    overrides,
)

pytestmark = pytest.mark.django_db
SIGNUP = {"name": "李报名", "mobile": "13912345678", "email": "li@example.org", "organization": "濮阳市第一中学", "consent": "on"}


def staff_in(group_name, **kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


# -- event sign-up: any input -------------------------------------------------------------------


@FORM_RUNS
@given(changes=overrides(RegistrationForm.base_fields))
def test_signup_form_refuses_anything_typed_wrongly_in_chinese(changes):
    form = RegistrationForm({**SIGNUP, **changes})
    if form.is_valid():
        assert re.fullmatch(r"1[3-9][0-9]{9}", form.cleaned_data["mobile"])
    else:
        assert_refused_in_chinese(form)


@VIEW_RUNS
@given(changes=overrides(set(RegistrationForm.base_fields) - {"website"}), payload=NASTY)
def test_signup_page_never_breaks_never_renders_markup_and_saves_nothing_refused(client, settings, changes, payload):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "10000/m"
    event = Event.objects.first() or EventFactory()
    data = {**SIGNUP, **changes, "organization": SCRIPT + payload, "consent": ""}  # no consent: refused
    response = client.post(f"/events/{event.pk}/register/", data)
    assert response.status_code == 200
    assert_no_markup(response.content.decode())
    assert_refused_in_chinese(response.context["form"])
    assert not Registration.objects.exists()


# -- events: other people's things ---------------------------------------------------------------


def test_draft_and_unknown_events_are_not_found(client):
    draft = EventFactory(status=Event.Status.DRAFT, published_at=None)
    assert client.get(f"/events/{draft.pk}/").status_code == 404
    assert client.post(f"/events/{draft.pk}/register/", SIGNUP).status_code == 404
    assert client.get("/events/999999/").status_code == 404


def test_a_registration_is_reached_only_through_its_secret_token(client, settings):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "10000/m"
    event = EventFactory()
    response = client.post(f"/events/{event.pk}/register/", SIGNUP)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert client.get(response["Location"]).status_code == 200
    for guess in (str(registration.pk), registration.check_in_code, "x" * 20):
        assert client.get(f"/events/registration/{guess}/").status_code == 404
        assert client.post(f"/events/registration/{guess}/cancel/").status_code in (404, 405)
    registration.refresh_from_db()
    assert registration.status != Registration.Status.CANCELLED


def test_check_in_desk_is_for_staff_with_the_permission(client):
    event = EventFactory()
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 302  # to log in
    for user in (VolunteerWithUserFactory().user, UserFactory(), staff_in(OFFICE), StaffFactory()):
        client.force_login(user)
        response = client.get(f"/events/{event.pk}/check-in/")
        assert response.status_code in (302, 403), user
        assert response.status_code == 403 or "login" in response["Location"]
    client.force_login(staff_in(POPSCI))
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 200


def test_roster_exports_are_refused_to_other_staff(client):
    event = EventFactory()
    owner = staff_in(POPSCI)
    export = RosterExport.objects.create(event=event, requested_by=owner, unmasked=True, status=RosterExport.Status.DONE)
    export.file.save("roster.xlsx", ContentFile(b"PK\x03\x04"))
    for user in (staff_in(OFFICE), StaffFactory(), staff_in(ACADEMIC), staff_in(LEADERS)):
        client.force_login(user)  # no permission for full mobiles, or not staff of events at all
        assert client.get(f"/events/exports/{export.pk}/download/").status_code == 403, user
    client.logout()
    assert client.get(f"/events/exports/{export.pk}/download/").status_code == 302
    export.file.delete(save=False)


@pytest.mark.parametrize("group", [OFFICE, None])
def test_staff_outside_the_events_departments_cannot_open_the_events_admin(client, group):
    event = EventFactory()
    client.force_login(staff_in(group) if group else StaffFactory())
    for path in ("/admin/events/event/", f"/admin/events/event/{event.pk}/change/", "/admin/events/registration/"):
        assert client.get(path).status_code == 403, path


# -- news ----------------------------------------------------------------------------------------


def test_draft_article_is_not_found_by_the_public_nor_by_staff_of_other_departments(client):
    draft = ArticleFactory(status="draft", published_at=None, title="尚未发布的通知")
    assert client.get(f"/news/{draft.pk}/").status_code == 404
    assert "尚未发布的通知" not in client.get("/news/").content.decode()
    assert "尚未发布的通知" not in client.get("/news/feed/").content.decode()
    for user in (VolunteerWithUserFactory().user, staff_in(POPSCI), staff_in(ACADEMIC)):
        client.force_login(user)
        assert client.get(f"/news/{draft.pk}/").status_code == 404, user


def test_draft_attachment_is_not_found(client):
    from association.models import ArticleAttachment

    draft = ArticleFactory(status="draft", published_at=None)
    attachment = ArticleAttachment(article=draft, title="内部通知", extension="pdf", size=10)
    attachment.file.save("draft.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    assert client.get(f"/news/attachments/{attachment.pk}/").status_code == 404
    client.force_login(staff_in(POPSCI))
    assert client.get(f"/news/attachments/{attachment.pk}/").status_code == 404
    attachment.file.delete(save=False)


@pytest.mark.parametrize("group", [POPSCI, ACADEMIC, None])
def test_only_the_office_edits_news(client, group):
    article = ArticleFactory()
    client.force_login(staff_in(group) if group else StaffFactory())
    assert client.get("/admin/association/article/").status_code == 403
    assert client.post(f"/admin/association/article/{article.pk}/change/", {"title": "改了"}).status_code == 403
    article.refresh_from_db()
    assert article.title != "改了"


def test_news_search_and_pages_take_any_text(client):
    for value in ("\x00", "<script>alert(1)</script>", "%" * 500, "一" * 5000, "-1", "99999999999999999999"):
        response = client.get("/news/", {"q": value, "page": value, "category": value})
        assert response.status_code == (400 if "\x00" in value else 200), value
        assert_no_markup(response.content.decode())


def test_event_lists_take_any_filter(client):
    for value in ("\x00", "<img src=x onerror=alert(1)>", "2026-13-45", "99999999999999999999", "😀" * 100):
        for params in ({"kind": value, "county": value, "q": value}, {"month": value, "year": value}):
            for path in ("/events/", "/events/calendar/"):
                response = client.get(path, params)
                assert response.status_code == (400 if "\x00" in value else 200), (path, value)
                assert_no_markup(response.content.decode())
    assert client.get("/events/calendar.ics").status_code == 200


