"""Demo data holds the source documents' figures; synthetic data is deterministic and consistent."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from events.generate import PREFIX
from events.models import Event, EventOutcome, Registration

pytestmark = pytest.mark.django_db


def test_load_demo_holds_the_documents_figures_and_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    counts = (Event.objects.count(), Registration.objects.count(), EventOutcome.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Event.objects.count(), Registration.objects.count(), EventOutcome.objects.count()) == counts

    popsci = EventOutcome.objects.get(event__start__date="2020-09-18", event__kind=Event.Kind.POPSCI_DAY)
    assert (popsci.activities_held, popsci.beneficiaries) == (300, 200000)
    assert popsci.event.venue == "濮阳经济技术开发区实验学校"
    conferences = EventOutcome.objects.filter(event__kind=Event.Kind.INDUSTRY_CONFERENCE, event__status="finished")
    assert conferences.aggregate(p=Sum("projects_signed"), v=Sum("contract_value")) == {
        "p": 52, "v": Decimal("3570000")}
    first_three = conferences.filter(event__title__contains="石化", event__start__year__lte=2018)
    assert first_three.aggregate(p=Sum("projects_signed"), v=Sum("contract_value")) == {
        "p": 26, "v": Decimal("1780000")}
    visit = Event.objects.get(start__date="2021-01-22")
    assert visit.partners.filter(name__in=["青源天仁生物技术有限公司", "华乐科技有限公司"]).count() == 2
    assert visit.teams.filter(name__contains="生物基材料").exists()
    assert Event.objects.get(start__date="2021-01-27").outcome.participants == 16

    upcoming = Event.objects.filter(status="published", registration_open=True).upcoming()
    assert upcoming.count() >= 4
    assert upcoming.filter(waitlisted_count__gt=0).exists()  # one is full with people waiting


def test_generate_data_small_is_consistent_and_deterministic():
    call_command("load_demo", stdout=io.StringIO())
    call_command("generate_data", "--scale", "small", stdout=io.StringIO())
    synthetic = Event.objects.filter(title__startswith=PREFIX)
    assert synthetic.count() == 500
    assert Registration.objects.filter(event__title__startswith=PREFIX).count() == 10_000
    # Counters equal the rows, and no event holds more than its capacity.
    mismatched = synthetic.annotate(
        holding=Count("registrations", filter=Q(registrations__status__in=Registration.HOLDING_SEAT)),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
    ).exclude(seats_taken=models_f("holding"), waitlisted_count=models_f("waiting"))
    assert not mismatched.exists()
    assert not synthetic.filter(capacity__isnull=False, seats_taken__gt=models_f("capacity")).exists()
    first = list(synthetic.order_by("id").values_list("title", "start")[:20])
    call_command("generate_data", "--scale", "small", stdout=io.StringIO())  # already there: unchanged
    assert list(synthetic.order_by("id").values_list("title", "start")[:20]) == first
    sample = Registration.objects.filter(event__title__startswith=PREFIX).first()
    assert len(sample.mobile) == 11 and sample.masked_mobile.count("*") == 4


def models_f(name):
    from django.db.models import F

    return F(name)


UNITS = ["华龙区科协", "濮阳市化工学会", "河南源博新材料有限公司科协", "濮阳县蔬菜种植农技协"]


def test_each_demo_unit_finds_its_own_events_with_sign_ups_and_no_one_elses(client):
    from association import scoping
    from association.models import Organization
    from tests.association.factories import unit_account

    call_command("load_demo", stdout=io.StringIO())
    for name in UNITS:
        unit = Organization.objects.get(name=name)
        own = Event.objects.filter(organiser=unit)
        assert own.filter(registrations__isnull=False).exists(), name
        client.force_login(unit_account(unit, "staff"))
        listed = client.get("/admin/events/event/", {"all": ""}).context["cl"].result_list
        assert set(own) <= set(listed)
        assert all(event.organiser_id in scoping.subtree_ids(unit.pk) for event in listed)
    academic = Event.objects.get(organiser__name="濮阳市化工学会", kind=Event.Kind.ACADEMIC, status="published")
    assert academic.pending_count > 0  # the 学会 approves its members' sign-ups


def test_synthetic_events_are_spread_over_the_whole_tree():
    from association import scoping
    from association.models import Organization

    call_command("load_demo", stdout=io.StringIO())
    call_command("generate_data", "--scale", "small", stdout=io.StringIO())
    synthetic = Event.objects.filter(title__startswith=PREFIX)
    city = Organization.objects.get(name="濮阳市科学技术协会")
    assert not synthetic.exclude(organiser_id__in=scoping.subtree_ids(city.pk)).exists()
    assert synthetic.filter(organiser__name__startswith="合成").exists()
    assert synthetic.values("organiser").distinct().count() > 100

    def share(name):
        unit = Organization.objects.get(name=name)
        return synthetic.filter(organiser_id__in=scoping.subtree_ids(unit.pk)).count() / synthetic.count()

    assert .02 < share("华龙区科协") < .2
    assert .02 < share("濮阳县科协") < .2
    assert 0 < share("濮阳市化工学会") < .05
