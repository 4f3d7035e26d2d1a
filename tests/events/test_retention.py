"""A year after an event ends its sign-ups keep their status but lose the person's particulars."""

from datetime import timedelta

import pytest
from django.utils import timezone

from association.retention import apply_retention
from events.models import Registration
from events.services import registrations
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_particulars_of_sign_ups_are_erased_a_year_after_the_event_ends_and_recent_ones_stay():
    old_event = EventFactory()
    recent_event = EventFactory()
    old = registrations.register(event_id=old_event.pk, name="张伟", mobile="13912345678", email="zw@example.com")
    recent = registrations.register(event_id=recent_event.pk, name="李娜", mobile="13912345679")
    long_ago = timezone.now() - timedelta(days=400)
    type(old_event).objects.filter(pk=old_event.pk).update(start=long_ago - timedelta(hours=3), end=long_ago)

    apply_retention()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.name == "（已删除）" and old.mobile == "" and old.email == ""
    assert old.status == Registration.Status.CONFIRMED
    assert recent.name == "李娜" and recent.mobile == "13912345679"
