import io

import pytest
from django.db.models import Count

from volunteers import synthetic
from volunteers.idcard import parse_id_number
from volunteers.models import Membership, ServiceRecord, Volunteer

pytestmark = pytest.mark.django_db


def snapshot():
    first = Volunteer.objects.order_by("id").first()
    return (Volunteer.objects.count(), ServiceRecord.objects.count(), Membership.objects.count(), first.name,
            first.id_number, sorted(Volunteer.objects.values_list("status").annotate(n=Count("id")).order_by()))


def test_small_scale_is_generated_deterministically_with_valid_encrypted_identities(monkeypatch):
    monkeypatch.setitem(synthetic.SCALES, "small", (300, 2_000, 1, 3, 1, 5, 20))
    synthetic.generate("small", io.StringIO())
    first = snapshot()
    assert first[:3] == (300, 2_000, 300)
    bench = Volunteer.objects.get(user__username=synthetic.BENCH_USERNAME)
    assert bench.records.count() == synthetic.BENCH_RECORDS
    for v in Volunteer.objects.order_by("?")[:20]:
        assert parse_id_number(v.id_number).gender == v.gender
        assert Volunteer.objects.with_id_number(v.id_number).get() == v

    synthetic.generate("small", io.StringIO())  # already there: nothing changes
    assert snapshot() == first
    synthetic._wipe()
    synthetic.generate("small", io.StringIO())  # from scratch: the same people again
    again = snapshot()
    assert again[0:3] == first[0:3] and again[3:] == first[3:]


def first_team_unit():
    from django.db.models import OuterRef, Subquery

    return Subquery(Membership.objects.filter(volunteer=OuterRef("pk")).order_by("id").values("team__organization")[:1])


def test_synthetic_teams_and_volunteers_are_spread_over_the_tree_by_the_rule(monkeypatch):
    from association import scoping
    from association.demo import generate_organizations
    from association.models import Organization
    from volunteers.models import ServiceTeam

    generate_organizations("small", io.StringIO())
    monkeypatch.setitem(synthetic.SCALES, "small", (400, 1_000, 2, 4, 1, 5, 20))
    synthetic.generate("small", io.StringIO())
    synthetic_volunteers = Volunteer.objects.filter(email__endswith=f"@{synthetic.EMAIL_DOMAIN}")
    assert not synthetic_volunteers.filter(unit__isnull=True).exists()
    # Each volunteer is kept by the unit of the team they joined.
    assert not synthetic_volunteers.exclude(unit=first_team_unit()).exists()
    kinds = set(ServiceTeam.objects.filter(name__contains="服务队").values_list("organization__kind", flat=True))
    assert {"association", "county", "society"} <= kinds
    # A county 科协 and a 学会 each see a share of the whole, not all of it and not nothing.
    total = synthetic_volunteers.count()
    county = Organization.objects.filter(kind="county", volunteers__isnull=False).order_by("name").first()
    society = Organization.objects.filter(kind="society", volunteers__isnull=False).order_by("name").first()
    for unit in (county, society):
        share = scoping.scope_to_unit(synthetic_volunteers, unit.pk).count()
        assert 0 < share < total / 2, unit
    before = sorted(synthetic_volunteers.values_list("unit__name").annotate(n=Count("id")).order_by())
    synthetic._wipe()
    synthetic.generate("small", io.StringIO())  # from scratch: the same units again
    assert sorted(synthetic_volunteers.values_list("unit__name").annotate(n=Count("id")).order_by()) == before
