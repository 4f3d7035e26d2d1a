"""Control characters typed or pasted anywhere are dropped where text comes in, and the rest
of what was typed is kept: public forms, the staff admin, search boxes and imports alike."""

import io

import pytest
from django.http import QueryDict
from openpyxl import Workbook

from association.textinput import clean_query_dict
from events.models import Registration
from tests.association.factories import CountyFactory, StaffFactory
from tests.events.factories import EventFactory
from volunteers.models import ServiceTeam, Volunteer
from volunteers.services import roster

pytestmark = pytest.mark.django_db


def test_sign_up_keeps_the_name_without_the_control_characters(client):
    event = EventFactory(capacity=10)
    response = client.post(f"/events/{event.pk}/register/", {
        "name": "张\x07三\x1b", "mobile": "13900000001", "email": "", "organization": "濮阳\x0c市第一中学\x7f",
        "consent": "on",
    })
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.name, registration.organization) == ("张三", "濮阳市第一中学")


def test_volunteer_registration_drops_control_characters_and_keeps_line_breaks(client):
    from tests.volunteers.conftest import valid_id

    county = CountyFactory(name="华龙区")
    response = client.post("/volunteers/register/", {
        "name": "周晓明\x08", "id_number": valid_id(700_101)[0], "phone": "13812345678", "email": "zhou@example.org",
        "political_status": "jiusan", "education": "master", "title": "高级工程师\x85", "title_level": "2",
        "field": "化工", "employer": "濮阳市化工研究所", "county": str(county.pk),
        "skills": "精细化工\x1b[0m\r\n第二行\t缩进", "password1": "Kexie-2025-abc", "password2": "Kexie-2025-abc",
        "consent": "on", "id_consent": "on",
    })
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.name, volunteer.title) == ("周晓明", "高级工程师")
    assert volunteer.skills == "精细化工[0m\r\n第二行\t缩进"


def test_staff_typing_in_the_admin_get_the_same(client):
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post("/admin/volunteers/serviceteam/add/", {
        "name": "化工新材料\x07服务队", "kind": "team", "field": "化工", "description": "第一行\n\x00第二行", "order": "0",
        "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    team = ServiceTeam.objects.get()
    assert (team.name, team.description) == ("化工新材料服务队", "第一行\n第二行")


def test_a_search_with_a_control_character_finds_the_words_typed(client):
    response = client.get("/news/", {"q": "科普\x07"})
    assert response.status_code == 200
    assert 'value="科普"' in response.content.decode()


def test_a_roster_import_drops_control_characters_from_the_cells():
    CountyFactory(name="范县")
    from volunteers.idcard import synthetic_identity, synthetic_mobile

    number, _birth, gender = synthetic_identity(810_001)
    values = {"姓名": "花名册\x7f甲", "性别": "男" if gender == "M" else "女", "身份证号": number,
              "手机号码": synthetic_mobile(810_001), "工作单位": "濮阳市\x85农业科学院", "专业特长": "小麦\x9b育种"}
    workbook = Workbook()
    workbook.active.append(roster.HEADERS)
    workbook.active.append([values.get(h, "") for h in roster.HEADERS])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)

    result = roster.import_roster(upload, actor=StaffFactory())
    assert result.ok, result.errors
    volunteer = Volunteer.objects.get()
    assert (volunteer.name, volunteer.employer, volunteer.skills) == ("花名册甲", "濮阳市农业科学院", "小麦育种")


def test_passwords_reach_the_form_exactly_as_typed():
    data = QueryDict(mutable=True)
    data.update({"username": "zhou\x07", "password": "pa\x07ss", "new_password1": "x\x1by"})
    cleaned = clean_query_dict(data)
    assert cleaned["username"] == "zhou"
    assert (cleaned["password"], cleaned["new_password1"]) == ("pa\x07ss", "x\x1by")
    assert not cleaned._mutable
