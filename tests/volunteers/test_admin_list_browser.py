"""The volunteer list read at 1280 px: names on one line, the state on screen, long text
cut with the whole of it in the title."""

import pytest

from tests.association.factories import StaffFactory
from tests.volunteers.factories import VolunteerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_volunteer_list_keeps_names_whole_and_the_state_on_screen(page, tree):
    from association.models import Organization

    long_unit = Organization.objects.create(name="濮阳市石油化工新材料产业技术创新战略联盟科学技术协会", kind=Organization.Kind.SOCIETY,
                                            parent=tree.city)
    for name in ("欧阳建国", "王芳", "司马晓明"):
        VolunteerFactory(name=name, unit=long_unit, status="pending", title="教授级高级工程师")
    StaffFactory(username="wide-admin", is_superuser=True, first_name="芳", last_name="王")

    page.goto(page.base_url + "/accounts/login/?next=/admin/volunteers/volunteer/")
    page.fill("input[name=username]", "wide-admin")
    page.fill("input[name=password]", "Passw0rd!23")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/admin/volunteers/volunteer/")

    names = page.locator("#result_list td.field-name")
    assert names.count() == 3
    line = names.first.evaluate("c => parseFloat(getComputedStyle(c).lineHeight) || 20")
    for i in range(3):
        assert names.nth(i).evaluate("c => c.clientHeight") < 2.5 * line  # one line, not a character per line
    status = page.locator("#result_list th.column-status")
    assert status.bounding_box()["x"] + status.bounding_box()["width"] <= 1280
    assert page.locator("#result_list td.field-status").first.is_visible()
    assert page.locator("#result_list td.field-status").first.inner_text() == "审核中"
    cut = page.locator("#result_list td.field-unit .cell-cut").first
    assert cut.get_attribute("title") == long_unit.name
