from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event, EventOutcome
from tests.association.factories import CountyFactory, OrganizationFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"科普讲座第{n}期")
    kind = Event.Kind.TRAINING
    organiser = factory.SubFactory(OrganizationFactory)
    county = factory.SubFactory(CountyFactory)
    start = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0) + timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=3))
    venue = "濮阳市科技馆报告厅"
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    registration_open = True
    capacity = 10
    waiting_list = True


class PastEventFactory(EventFactory):
    start = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0) - timedelta(days=30))
    status = Event.Status.FINISHED
    registration_open = False


class EventOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventOutcome

    event = factory.SubFactory(PastEventFactory)
    participants = 100
    beneficiaries = 1000


def mobile(n: int) -> str:
    return f"139{n:08d}"
