"""The counter of rows written (tests/db_writes.py) that the read-only page tests rely on."""

import pytest
from django.db import connection, transaction

from association.models import County
from tests.db_writes import count_writes


@pytest.mark.django_db
def test_count_writes_sees_each_kind_of_write_and_nothing_for_a_read():
    with count_writes() as nothing:
        list(County.objects.all())
    assert not nothing

    with count_writes() as writes:
        county = County.objects.create(name="测试县")
        County.objects.filter(pk=county.pk).update(order=9)
        try:
            with transaction.atomic():
                County.objects.create(name="回滚县")
                raise RuntimeError
        except RuntimeError:
            pass
        county.delete()
    assert writes == {"association_county": 4}


@pytest.mark.django_db(transaction=True)
def test_count_writes_refuses_to_count_outside_a_transaction():
    assert not connection.in_atomic_block
    with pytest.raises(AssertionError, match="needs a test inside a transaction"), count_writes():
        pass


@pytest.mark.django_db
def test_count_writes_sees_what_a_request_writes(client):
    with count_writes() as writes:
        client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert writes  # a failed log-in is recorded
