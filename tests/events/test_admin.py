"""Staff screens: actions call the services; changelists load; personal data stays masked."""

import pytest
from django.core import mail

from association.models import AuditEntry
from events.models import Event, Registration
from tests.association.factories import UserFactory
from tests.events.factories import EventFactory, EventOutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def _action(client, action, *objs, model="event", **extra):
    return client.post(f"/admin/events/{model}/", {"action": action, "_selected_action": [o.pk for o in objs], **extra})


def test_publish_action_publishes_drafts_and_records_the_transition(admin_client):
    event = EventFactory(status=Event.Status.DRAFT, published_at=None)
    _action(admin_client, "publish", event)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and event.published_at
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TRANSITION, object_id=str(event.pk))
    assert (entry.from_state, entry.to_state, entry.actor) == ("draft", "published", admin_client.user)


def test_publishing_a_finished_event_is_refused_in_chinese(admin_client):
    event = EventFactory(status=Event.Status.FINISHED)
    response = _action(admin_client, "publish", event)
    assert response.status_code == 302
    html = admin_client.get("/admin/events/event/").content.decode()
    assert "不能变为“已发布”" in html


def test_cancel_asks_for_a_reason_then_emails_everyone_signed_up(
    admin_client, sign_up, eager_celery, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    sign_up(event, 2, email="someone@example.org")  # one confirmed, one waiting
    sign_up(event, 1, start=10)  # no e-mail given
    confirm_page = _action(admin_client, "cancel", event)
    assert "取消原因" in confirm_page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _action(admin_client, "cancel", event, apply="确认取消活动", reason="场地临时检修")
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and event.cancellation_reason == "场地临时检修"
    assert len(mail.outbox) == 2
    assert all("活动取消通知" in m.subject and "场地临时检修" in m.body for m in mail.outbox)
    from events.tasks import send_event_cancelled_notices

    assert send_event_cancelled_notices(event.pk) == 0  # running again sends nothing more


def test_copy_action_makes_a_draft_with_same_settings_and_no_signups(admin_client, sign_up):
    event = EventFactory(title="设施蔬菜冬季管理讲座", capacity=60)
    sign_up(event, 3)
    response = _action(admin_client, "copy", event)
    clone = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == f"/admin/events/event/{clone.pk}/change/"
    assert clone.title == "设施蔬菜冬季管理讲座（副本）"
    assert (clone.status, clone.capacity, clone.seats_taken) == (Event.Status.DRAFT, 60, 0)
    assert not clone.registrations.exists()


def test_raising_capacity_in_admin_promotes_the_waiting_list(admin_client, sign_up):
    event = EventFactory(capacity=1)
    _first, waiting = sign_up(event, 2)
    page = admin_client.get(f"/admin/events/event/{event.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("partners", "teams", "cover")}
    data.update({
        "start_0": event.start.astimezone().strftime("%Y-%m-%d"), "start_1": event.start.astimezone().strftime("%H:%M:%S"),
        "end_0": event.end.astimezone().strftime("%Y-%m-%d"), "end_1": event.end.astimezone().strftime("%H:%M:%S"),
        "capacity": 2, "registration_open": "on", "waiting_list": "on",
        "outcome-TOTAL_FORMS": 0, "outcome-INITIAL_FORMS": 0, "photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0,
    })
    data.pop("needs_approval", None)
    response = admin_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_capacity_below_seats_taken_is_refused_at_the_field(admin_client, sign_up):
    event = EventFactory(capacity=3)
    sign_up(event, 3)
    event.refresh_from_db()
    event.capacity = 2
    with pytest.raises(Exception) as error:
        event.full_clean()
    assert "名额不能少于" in str(error.value)


def test_changelists_load_and_mobiles_are_masked(admin_client, sign_up):
    event = EventFactory()
    EventOutcomeFactory()
    sign_up(event, 2)
    assert admin_client.get("/admin/events/event/").status_code == 200
    html = admin_client.get("/admin/events/registration/").content.decode()
    assert "139****0000" in html and "13900000000" not in html


def test_registration_search_by_full_mobile_finds_the_person(admin_client, sign_up):
    event = EventFactory()
    sign_up(event, 3)
    html = admin_client.get("/admin/events/registration/", {"q": "139 0000 0001"}).content.decode()
    assert "报名人1" in html and "报名人2" not in html


def test_full_mobile_on_change_page_only_with_permission_and_audited(client, staff_with, sign_up):
    event = EventFactory()
    (registration,) = sign_up(event, 1)
    plain = staff_with("events.view_registration", "events.change_registration")
    client.force_login(plain)
    html = client.get(f"/admin/events/registration/{registration.pk}/change/").content.decode()
    assert "139****0000" in html and "13900000000" not in html
    client.force_login(staff_with("events.view_registration", "events.view_personal_data"))
    html = client.get(f"/admin/events/registration/{registration.pk}/change/").content.decode()
    assert "13900000000" in html
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL, object_id=str(registration.pk)).count() == 1


def test_admin_approves_pending_signups(admin_client, sign_up):
    event = EventFactory(needs_approval=True)
    (registration,) = sign_up(event, 1)
    _action(admin_client, "approve", registration, model="registration")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
