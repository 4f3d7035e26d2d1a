"""The demo's returns: last year's accepted by every filing unit, this year's drafts opened
for the same units, and running load_demo twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from association.models import Organization
from returns import services
from returns.models import ReturnValue, StatisticsReturn

pytestmark = pytest.mark.django_db
S = StatisticsReturn.Status


def _snapshot():
    returns = sorted(StatisticsReturn.objects.values_list(
        "organization__name", "year", "status", "head", "statistician", "filled_by", "phone", "reported_on",
        "submitted_at", "accepted_at", "updated"))
    values = sorted(ReturnValue.objects.values_list("statistics_return__organization__name", "statistics_return__year",
                                                    "item_id", "value", "note"))
    return returns, values


def test_load_demo_gives_accepted_and_draft_returns_and_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    this_year = timezone.localdate().year
    filing = [u for u in Organization.objects.filter(kind__in=services.FILING_KINDS) if services.files_a_return(u)]
    names = {u.name for u in filing}
    assert {"濮阳市科学技术协会", "华龙区科协", "濮阳县科协", "濮阳市化工学会", "濮阳市医学会"} <= names

    accepted = StatisticsReturn.objects.filter(year=this_year - 1)
    assert {r.organization.name for r in accepted} == names
    for r in accepted:
        assert r.status == S.ACCEPTED
        assert r.head and r.statistician and r.filled_by and r.phone
        assert r.reported_on.year == this_year and r.submitted_at <= r.accepted_at
        assert r.values.count() == services.items_for(r.organization, this_year - 1).count()
    drafts = StatisticsReturn.objects.filter(year=this_year)
    assert {r.organization.name for r in drafts} == names
    assert all(r.status == S.DRAFT and r.accepted_at is None and r.reported_on is None for r in drafts)

    # The documents' figures: 机关人数 entered, 学会 members, 科普 e站 and 农技协 counted.
    city = Organization.objects.get(name="濮阳市科学技术协会")
    rolled = services.roll_up(city.pk, this_year - 1)
    by_key = {(i.table.code, i.code): i.pk for i in services.items_for(city, this_year - 1)}
    assert rolled.missing == []
    assert rolled.totals[by_key[("AK表1-1", "07")]] == 26 + 7 * 6
    assert rolled.totals[by_key[("GKX表7", "03")]] >= 263
    assert rolled.totals[by_key[("AK表1-1", "05")]] >= 652
    assert rolled.totals[by_key[("EKX表5", "04")]] >= 300
    assert rolled.totals[by_key[("EKX表5", "07")]] >= 2000
    for item_id, part_of in [(i.pk, i.part_of_id) for i in services.items_for(city, this_year - 1) if i.part_of_id]:
        assert rolled.totals[item_id] <= rolled.totals[part_of]
    society = Organization.objects.get(name="濮阳市化工学会")
    members = services.items_for(society, this_year - 1).get(table__code="AX表1-2", code="01")
    assert StatisticsReturn.objects.get(organization=society, year=this_year - 1).values.get(item=members).value == 460

    before = _snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert _snapshot() == before
