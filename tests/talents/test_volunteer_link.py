"""学会学术部 link an expert to their volunteer account by the number the volunteer registered
with, without ever getting the list of volunteers."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group

from association.models import AuditEntry
from tests.association.factories import StaffFactory
from tests.volunteers.factories import VolunteerFactory

from .factories import TalentFactory

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The values a browser would send for the admin's change form as it stands."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_of(html: str, **changes) -> dict:
    parser = FormFields()
    parser.feed(html[html.index('id="talent_form"'):])
    data = {name: values if len(values) != 1 else values[0] for name, values in parser.data.items()}
    data.update(changes)
    return data


@pytest.fixture
def academic(client):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name="学会学术部"))
    client.force_login(user)
    return user


def test_the_expert_page_offers_no_way_into_the_volunteer_list(client, academic):
    talent = TalentFactory()
    html = client.get(f"/admin/talents/talent/{talent.pk}/change/").content.decode()
    assert "/admin/volunteers/volunteer/" not in html
    assert "关联志愿者账号" in html and "手机号码或身份证号" in html


@pytest.mark.parametrize("typed", ["mobile", "id_number"])
def test_academic_staff_link_an_expert_by_the_volunteers_full_number(client, academic, typed):
    talent, volunteer = TalentFactory(), VolunteerFactory(name="孟庆臻")
    url = f"/admin/talents/talent/{talent.pk}/change/"
    number = getattr(volunteer, typed).lower()
    response = client.post(url, form_of(client.get(url).content.decode(), volunteer_number=f" {number} "))
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.volunteer == volunteer
    assert AuditEntry.objects.filter(object_id=str(talent.pk), detail="关联志愿者账号", actor=academic).exists()
    assert "孟庆臻" in client.get(url).content.decode()  # shown as linked


def test_an_unknown_number_is_refused_in_chinese_and_the_rest_is_kept(client, academic):
    talent = TalentFactory()
    url = f"/admin/talents/talent/{talent.pk}/change/"
    response = client.post(url, form_of(client.get(url).content.decode(), volunteer_number="13900000000", bio="新的简介"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有以该手机号码或身份证号登记的志愿者" in html and "新的简介" in html
    talent.refresh_from_db()
    assert talent.volunteer is None and talent.bio != "新的简介"


def test_a_volunteer_linked_to_another_expert_is_refused(client, academic):
    volunteer = VolunteerFactory()
    TalentFactory(name="先登记的专家", volunteer=volunteer)
    talent = TalentFactory()
    url = f"/admin/talents/talent/{talent.pk}/change/"
    response = client.post(url, form_of(client.get(url).content.decode(), volunteer_number=volunteer.mobile))
    assert "该志愿者账号已关联人才“先登记的专家”" in response.content.decode()
    talent.refresh_from_db()
    assert talent.volunteer is None


def test_academic_staff_unlink_an_expert(client, academic):
    talent = TalentFactory(volunteer=VolunteerFactory())
    url = f"/admin/talents/talent/{talent.pk}/change/"
    assert client.post(url, form_of(client.get(url).content.decode(), unlink_volunteer="on")).status_code == 302
    talent.refresh_from_db()
    assert talent.volunteer is None
    assert AuditEntry.objects.filter(object_id=str(talent.pk), detail="解除与志愿者账号的关联").exists()
