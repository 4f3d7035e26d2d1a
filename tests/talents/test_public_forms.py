import pytest

from talents.models import TechDemand

pytestmark = pytest.mark.django_db


def test_demand_form_filled_by_a_bot_is_not_saved(client):
    html = client.post("/talents/demands/new/", {
        "kind": "technology", "industry": "food", "title": "速冻食品保鲜工艺",
        "description": "希望与高校合作改进速冻食品的保鲜工艺，延长货架期。", "enterprise_name": "某食品有限公司",
        "contact_person": "王", "contact_phone": "13698765432", "consent": "on", "website": "http://spam.example",
    }).content.decode()
    assert "提交未通过校验" in html
    assert not TechDemand.objects.exists()
