import pytest
from django.db import connection

from association import audit, crypto
from association.models import AuditEntry, Organization
from tests.association.factories import OrganizationFactory


def test_masks_hide_the_middle_of_id_numbers_and_mobiles():
    assert crypto.mask_id_number("410901199001014519") == "4109**********4519"
    assert crypto.mask_mobile("13812341234") == "138****1234"
    assert crypto.mask_name("孟庆臻") == "孟**"


def test_encryption_round_trips_and_look_up_hash_is_stable_but_not_the_value():
    token = crypto.encrypt("13812341234")
    assert "13812341234" not in token
    assert crypto.decrypt(token) == "13812341234"
    h1 = crypto.lookup_hash("41090119900101451x", purpose="id")
    assert h1 == crypto.lookup_hash(" 41090119900101451X ", purpose="id")
    assert h1 != crypto.lookup_hash("41090119900101451X", purpose="mobile")
    assert "4109" not in h1


@pytest.mark.django_db
def test_audit_entries_are_kept_per_object():
    org = OrganizationFactory()
    audit.record(AuditEntry.Action.CHANGE, obj=org, detail="改名")
    assert [e.detail for e in audit.history(org)] == ["改名"]
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM association_auditentry WHERE object_id = %s", [str(org.pk)])
        assert cur.fetchone()[0] == 1
    assert Organization.objects.count() == 1
