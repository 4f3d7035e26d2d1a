"""Sign-up rules: seats, the waiting list, duplicates, approval and the state machine."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from association.models import AuditEntry
from association.states import TransitionNotAllowed
from events.models import Event, Registration
from events.services import DuplicateRegistration, EventFull, SignupClosed, registrations
from tests.events.factories import EventFactory, mobile

pytestmark = pytest.mark.django_db
S = Registration.Status


def test_first_signups_are_confirmed_until_capacity_then_waitlisted(sign_up):
    event = EventFactory(capacity=3)
    people = sign_up(event, 5)
    assert [p.status for p in people] == [S.CONFIRMED] * 3 + [S.WAITLISTED] * 2
    event.refresh_from_db()
    assert (event.seats_taken, event.waitlisted_count, event.seats_left) == (3, 2, 0)


def test_same_mobile_cannot_take_two_places_in_one_event(sign_up):
    event = EventFactory()
    registrations.register(event_id=event.pk, name="张伟", mobile="13912345678")
    with pytest.raises(DuplicateRegistration) as error:
        registrations.register(event_id=event.pk, name="张伟", mobile="139 1234 5678")
    assert "已报名" in str(error.value.message)
    assert event.registrations.count() == 1


def test_same_mobile_may_sign_up_again_after_cancelling():
    event = EventFactory()
    first = registrations.register(event_id=event.pk, name="张伟", mobile="13912345678")
    registrations.cancel(registration_id=first.pk)
    again = registrations.register(event_id=event.pk, name="张伟", mobile="13912345678")
    assert again.status == S.CONFIRMED


def test_same_mobile_may_sign_up_for_another_event():
    registrations.register(event_id=EventFactory().pk, name="张伟", mobile="13912345678")
    other = registrations.register(event_id=EventFactory().pk, name="张伟", mobile="13912345678")
    assert other.status == S.CONFIRMED


def test_cancellation_promotes_first_on_waiting_list_and_emails_them(
    sign_up, eager_celery, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = sign_up(event, 2, email="a@example.org")
        first_waiting, second_waiting = sign_up(event, 2, start=10, email="w@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel(registration_id=confirmed[0].pk)
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == S.CONFIRMED
    assert second_waiting.status == S.WAITLISTED
    assert second_waiting.waiting_position == 1
    assert len(mail.outbox) == 1
    assert "候补转为正式报名" in mail.outbox[0].subject
    assert first_waiting.check_in_code in mail.outbox[0].body
    event.refresh_from_db()
    assert (event.seats_taken, event.waitlisted_count) == (2, 1)


def test_notice_task_sends_each_status_once(sign_up, eager_celery, django_capture_on_commit_callbacks):
    from events.tasks import send_registration_notice

    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (registration,) = sign_up(event, 1, email="once@example.org")
    assert len(mail.outbox) == 1
    assert send_registration_notice(registration.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_full_event_without_waiting_list_refuses_politely(sign_up):
    event = EventFactory(capacity=1, waiting_list=False)
    sign_up(event, 1)
    with pytest.raises(SignupClosed) as error:
        registrations.register(event_id=event.pk, name="李娜", mobile=mobile(99))
    assert "名额已满" in str(error.value.message)


def test_signup_closed_after_deadline():
    event = EventFactory(registration_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(SignupClosed) as error:
        registrations.register(event_id=event.pk, name="李娜", mobile=mobile(1))
    assert "报名已截止" in str(error.value.message)


def test_draft_and_cancelled_events_take_no_signups():
    for status in (Event.Status.DRAFT, Event.Status.CANCELLED):
        event = EventFactory(status=status)
        with pytest.raises(SignupClosed):
            registrations.register(event_id=event.pk, name="李娜", mobile=mobile(1))


def test_approval_keeps_signups_pending_until_staff_approve(sign_up, staff_with):
    event = EventFactory(capacity=1, needs_approval=True)
    first, second = sign_up(event, 2)
    assert first.status == second.status == S.PENDING
    staff = staff_with()
    assert registrations.approve(registration_id=first.pk, actor=staff).status == S.CONFIRMED
    assert registrations.approve(registration_id=second.pk, actor=staff).status == S.WAITLISTED
    event.refresh_from_db()
    assert (event.seats_taken, event.waitlisted_count, event.pending_count) == (1, 1, 0)


def test_approval_refused_when_full_and_no_waiting_list(sign_up, staff_with):
    event = EventFactory(capacity=1, needs_approval=True, waiting_list=False)
    first, second = sign_up(event, 2)
    staff = staff_with()
    registrations.approve(registration_id=first.pk, actor=staff)
    with pytest.raises(EventFull):
        registrations.approve(registration_id=second.pk, actor=staff)


def test_waitlisted_person_cannot_be_checked_in(sign_up, staff_with):
    event = EventFactory(capacity=1)
    _confirmed, waiting = sign_up(event, 2)
    with pytest.raises(TransitionNotAllowed) as error:
        registrations.check_in(event_id=event.pk, code=waiting.check_in_code, actor=staff_with())
    assert "候补中" in str(error.value.message)


def test_transitions_are_recorded_in_the_audit_log(sign_up, staff_with):
    event = EventFactory(capacity=1)
    (registration,) = sign_up(event, 1)
    registrations.check_in(event_id=event.pk, code=registration.check_in_code.lower(), actor=staff_with())
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TRANSITION, object_id=str(registration.pk))
    assert (entry.from_state, entry.to_state) == ("confirmed", "checked_in")
    assert "13900000000" not in entry.object_repr


def test_database_refuses_more_seats_than_capacity(sign_up):
    event = EventFactory(capacity=1)
    sign_up(event, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=2)


def test_mobile_is_stored_encrypted(sign_up):
    event = EventFactory()
    (registration,) = sign_up(event, 1)
    with connection.cursor() as cur:
        cur.execute("SELECT mobile, mobile_hash FROM events_registration WHERE id = %s", [registration.pk])
        stored, digest = cur.fetchone()
    assert registration.mobile == mobile(0)
    assert mobile(0) not in stored and mobile(0) not in digest
    assert Registration.objects.get(pk=registration.pk).masked_mobile == "139****0000"


def test_tokens_and_check_in_codes_are_unguessable_and_distinct(sign_up):
    people = sign_up(EventFactory(capacity=50), 30)
    assert len({p.token for p in people}) == 30 and all(len(p.token) >= 40 for p in people)
    assert len({p.check_in_code for p in people}) == 30
