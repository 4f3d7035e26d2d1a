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
