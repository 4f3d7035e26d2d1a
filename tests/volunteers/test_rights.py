"""A volunteer's rights over their own data, tried through the pages as they would:
separate consent to the ID number, a guardian under 14, download, profile edits, correction
and real-name requests handled by staff, account deletion."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from association.models import AuditEntry
from volunteers import consents
from volunteers.models import ChangeRequest, Consent, ServiceRecord, Volunteer

from .factories import MembershipFactory, RecordFactory, VolunteerWithUserFactory

pytestmark = pytest.mark.django_db

URL = "/volunteers/register/"
PASSWORD = "Passw0rd!23"  # UserFactory's


def logged_in(client, volunteer):
    client.force_login(volunteer.user)
    return volunteer


# -- separate consent to the ID number ------------------------------------------------------

def test_consents_are_recorded_each_with_the_version_of_its_text(client, registration_data):
    client.post(URL, registration_data)
    volunteer = Volunteer.objects.get()
    rows = {c.kind: c.version for c in volunteer.consents.all()}
    assert rows == {Consent.Kind.PRIVACY_NOTICE: consents.PRIVACY_NOTICE_VERSION,
                    Consent.Kind.ID_NUMBER: consents.ID_NUMBER_CONSENT_VERSION}
    assert volunteer.id_number == registration_data["id_number"]


def test_without_the_separate_consent_no_id_number_is_kept_and_gender_and_birth_date_are_asked(client, registration_data):
    data = {**registration_data, "id_consent": ""}
    html = client.post(URL, data).content.decode()
    assert "未勾选单独同意时不能登记身份证号" in html and not Volunteer.objects.exists()
    assert 'value="周晓明"' in html  # what was typed is kept

    html = client.post(URL, {**data, "id_number": ""}).content.decode()
    assert "不填身份证号时，请选择性别" in html and "不填身份证号时，请填写出生日期" in html

    response = client.post(URL, {**data, "id_number": "", "gender": "F", "birth_date": "1988-05-04"})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.id_number, volunteer.id_number_hash) == ("", None)
    assert (volunteer.gender, volunteer.birth_date) == ("F", date(1988, 5, 4))
    assert list(volunteer.consents.values_list("kind", flat=True)) == [Consent.Kind.PRIVACY_NOTICE]


def test_the_privacy_notice_says_who_sees_what_and_links_the_rights(client):
    html = client.get("/volunteers/privacy/").content.decode()
    assert f"（{consents.PRIVACY_NOTICE_VERSION} 版）" in html
    assert "一律部分遮蔽" not in html
    assert "导出含完整号码的" in html
    for name in ("/accounts/me/data/download/", "/accounts/me/requests/correction/", "/accounts/me/delete/"):
        assert name in html


# -- a guardian under 14 --------------------------------------------------------------------

def _child_birth_date(age):
    today = timezone.localdate()
    return today.replace(year=today.year - age) - timedelta(days=30)


def test_a_child_under_14_is_kept_only_with_a_guardians_name_mobile_and_statement(client, registration_data, settings):
    settings.VOLUNTEER_MIN_AGE = 10  # a youth programme the association opened to children
    data = {**registration_data, "id_consent": "", "id_number": "", "gender": "M",
            "birth_date": _child_birth_date(12).isoformat()}
    html = client.post(URL, data).content.decode()
    assert "未满14周岁的，请填写监护人姓名" in html and "监护人同意声明" in html
    assert not Volunteer.objects.exists()

    response = client.post(URL, {**data, "guardian_name": "周大伟", "guardian_mobile": "13700001111",
                                 "guardian_statement": "on"})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.guardian_name, volunteer.guardian_mobile) == ("周大伟", "13700001111")
    guardian = volunteer.consents.get(kind=Consent.Kind.GUARDIAN)
    assert (guardian.version, guardian.given_by) == (consents.GUARDIAN_STATEMENT_VERSION, "周大伟")


def test_no_guardian_is_asked_at_14_or_over(client, registration_data, settings):
    settings.VOLUNTEER_MIN_AGE = 10
    data = {**registration_data, "id_consent": "", "id_number": "", "gender": "M",
            "birth_date": _child_birth_date(15).isoformat(), "guardian_name": "无关的人"}
    assert client.post(URL, data).status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.guardian_name == "" and not volunteer.consents.filter(kind=Consent.Kind.GUARDIAN).exists()


def test_the_guardian_section_is_shown_only_where_children_may_register(client, settings):
    assert "监护人信息" not in client.get(URL).content.decode()
    settings.VOLUNTEER_MIN_AGE = 10
    assert "监护人信息" in client.get(URL).content.decode()


# -- download of one's own data -------------------------------------------------------------

def test_me_page_has_the_my_data_section(client):
    logged_in(client, VolunteerWithUserFactory())
    html = client.get("/accounts/me/").content.decode()
    assert 'data-testid="my-data"' in html and "下载我的个人信息" in html and "注销账号" in html


def test_download_as_json_holds_my_data_decrypted_and_nobody_elses(client):
    me = logged_in(client, VolunteerWithUserFactory(name="孟庆臻"))
    other = VolunteerWithUserFactory(name="杜海涛")
    MembershipFactory(volunteer=me)
    RecordFactory(volunteer=me, hours=Decimal("3.5"), title="化工新材料研讨会")
    RecordFactory(volunteer=other, title="别人的服务")
    Consent.objects.create(volunteer=me, kind=Consent.Kind.PRIVACY_NOTICE, version="2026-12", given_at=timezone.now())

    response = client.post("/accounts/me/data/download/", {"password": PASSWORD, "fmt": "json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["基本资料"][0]["姓名"] == "孟庆臻"
    assert data["基本资料"][0]["身份证号"] == me.id_number and data["基本资料"][0]["手机号码"] == me.mobile
    assert [r["服务内容"] for r in data["服务记录"]] == ["化工新材料研讨会"]
    assert data["同意记录"][0]["文本版本"] == "2026-12"
    assert len(data["所在队伍"]) == 1
    text = response.content.decode()
    assert "杜海涛" not in text and other.id_number not in text and "别人的服务" not in text
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(me.pk), detail__contains="个人信息副本").exists()


def test_download_as_xlsx_has_a_sheet_a_section_and_no_live_formula(client):
    me = logged_in(client, VolunteerWithUserFactory(employer="=HYPERLINK(\"http://x\")"))
    response = client.post("/accounts/me/data/download/", {"password": PASSWORD, "fmt": "xlsx"})
    wb = load_workbook(io.BytesIO(response.content))
    assert {"基本资料", "服务记录", "同意记录", "更正与变更申请"} <= set(wb.sheetnames)
    cells = {row[0].value: row[1] for row in wb["基本资料"].iter_rows()}
    assert cells["身份证号"].value == me.id_number
    assert cells["工作单位"].data_type == "s" and cells["工作单位"].quotePrefix


def test_download_needs_the_password_and_is_limited_per_hour(client):
    logged_in(client, VolunteerWithUserFactory())
    html = client.post("/accounts/me/data/download/", {"password": "wrong", "fmt": "json"}).content.decode()
    assert "密码不正确" in html
    answers = [client.post("/accounts/me/data/download/", {"password": PASSWORD, "fmt": "json"}) for _ in range(6)]
    assert [a["Content-Type"].startswith("application/json") for a in answers] == [True] * 5 + [False]
    assert "一小时内下载次数过多" in answers[-1].content.decode()


def test_download_needs_login(client):
    assert client.get("/accounts/me/data/download/").url.startswith("/accounts/login/")


# -- profile edits and real-name changes ---------------------------------------------------

def test_a_volunteer_edits_contact_and_skills_directly(client):
    me = logged_in(client, VolunteerWithUserFactory(name="孟庆臻"))
    page = client.get("/accounts/me/profile/").content.decode()
    assert 'name="name"' not in page and 'name="id_number"' not in page
    response = client.post("/accounts/me/profile/", {
        "mobile": "13911112222", "email": "new@example.org", "political_status": "cpc", "education": "doctorate",
        "title": "正高级工程师", "title_level": "1", "field": "化工", "employer": "濮阳市科研院", "county": me.county_id,
        "skills": "周末可参加活动", "name": "改名",
    })
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.mobile, me.email, me.skills, me.name) == ("13911112222", "new@example.org", "周末可参加活动", "孟庆臻")
    assert me.user.username == "new@example.org"


def test_a_mobile_someone_else_holds_is_refused_and_the_form_kept(client):
    other = VolunteerWithUserFactory()
    me = logged_in(client, VolunteerWithUserFactory())
    html = client.post("/accounts/me/profile/", {
        "mobile": other.mobile, "email": me.email, "political_status": "cpc", "education": "master", "field": "化工",
        "county": me.county_id, "skills": "我写的特长",
    }).content.decode()
    assert "已被其他志愿者登记" in html and "我写的特长" in html


def _staff_of(volunteer, tree):
    volunteer.unit = tree.county_a
    volunteer.save(update_fields=["unit"])
    return tree.staff_a


def test_a_real_name_change_waits_for_staff_approval_then_applies(client, tree):
    from volunteers.idcard import synthetic_identity

    me = logged_in(client, VolunteerWithUserFactory(name="孟庆臻"))
    staff = _staff_of(me, tree)
    new_id, born, gender = synthetic_identity(612_345)
    html = client.post("/accounts/me/requests/real-name/", {"new_name": "孟清臻", "new_id_number": new_id,
                                                            "message": "户口本更名"}).content.decode()
    assert "登记身份证号须勾选单独同意" in html
    client.post("/accounts/me/requests/real-name/", {"new_name": "孟清臻", "new_id_number": new_id, "id_consent": "on",
                                                     "message": "户口本更名"})
    me.refresh_from_db()
    assert me.name == "孟庆臻"  # not until staff approve
    page = client.get("/accounts/me/").content.decode()
    assert "实名信息变更" in page and "待处理" in page

    client.force_login(staff)
    change = ChangeRequest.objects.get()
    client.post("/admin/volunteers/changerequest/", {"action": "approve_selected", "_selected_action": [change.pk],
                                                      "apply": "1", "reply": "已核对户口本"})
    me.refresh_from_db()
    assert (me.name, me.id_number, me.birth_date, me.gender) == ("孟清臻", new_id, born, gender)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED and change.new_id_number == ""

    client.force_login(me.user)
    page = client.get("/accounts/me/").content.decode()
    assert "已办理" in page and "已核对户口本" in page


def test_a_refused_change_leaves_the_record_and_tells_why(client, tree):
    me = logged_in(client, VolunteerWithUserFactory(name="孟庆臻"))
    staff = _staff_of(me, tree)
    client.post("/accounts/me/requests/real-name/", {"new_name": "孟小臻", "message": "想换个名字"})
    client.force_login(staff)
    change = ChangeRequest.objects.get()
    client.post("/admin/volunteers/changerequest/", {"action": "refuse_selected", "_selected_action": [change.pk],
                                                      "apply": "1", "reply": "请提供户籍证明"})
    me.refresh_from_db()
    assert me.name == "孟庆臻"
    client.force_login(me.user)
    assert "未同意" in client.get("/accounts/me/").content.decode()


def test_a_correction_request_reaches_the_volunteers_unit_only(client, tree):
    me = logged_in(client, VolunteerWithUserFactory())
    _staff_of(me, tree)
    html = client.post("/accounts/me/requests/correction/", {"message": ""}).content.decode()
    assert "请写明哪里有误" in html
    client.post("/accounts/me/requests/correction/", {"message": "9月15日的时长应为3小时"})
    request_row = client.get("/accounts/me/").content.decode().split('data-testid="change-request"')[1][:400]
    assert "更正申请" in request_row and "待处理" in request_row
    client.force_login(tree.staff_a)
    listing = client.get("/admin/volunteers/changerequest/").content.decode()
    assert me.name in listing and "更正申请" in listing
    client.force_login(tree.staff_b)
    assert me.name not in client.get("/admin/volunteers/changerequest/").content.decode()


# -- account deletion ------------------------------------------------------------------------

def test_deletion_keeps_only_confirmed_hours_anonymised_and_the_person_cannot_log_in(client, tree):
    me = logged_in(client, VolunteerWithUserFactory(name="孟庆臻"))
    me.unit = tree.county_a
    me.save(update_fields=["unit"])
    username, id_number = me.user.username, me.id_number
    MembershipFactory(volunteer=me)
    RecordFactory(volunteer=me, hours=Decimal("6"), title="已确认的服务")
    RecordFactory(volunteer=me, status=ServiceRecord.Status.PENDING, title="待确认的服务")

    html = client.post("/accounts/me/delete/", {"password": "wrong", "confirm": "on"}).content.decode()
    assert "密码不正确" in html and Volunteer.objects.filter(name="孟庆臻").exists()

    html = client.post("/accounts/me/delete/", {"password": PASSWORD, "confirm": "on"}).content.decode()
    assert "账号已注销" in html
    assert client.get("/accounts/me/").status_code == 302  # logged out
    assert not client.login(username=username, password=PASSWORD)

    kept = Volunteer.objects.get(pk=me.pk)
    assert kept.status == Volunteer.Status.DELETED and kept.name == "已注销志愿者"
    assert (kept.id_number, kept.id_number_hash, kept.mobile, kept.mobile_hash, kept.email, kept.user) == ("", None, "", None, "", None)
    assert list(kept.records.values_list("title", "status")) == [("已确认的服务", "confirmed")]
    assert not kept.memberships.exists()
    assert not Volunteer.objects.with_id_number(id_number).exists()

    client.force_login(tree.staff_a)
    listing = client.get("/admin/volunteers/volunteer/").content.decode()
    assert "已注销志愿者" not in listing and "孟庆臻" not in listing


def test_deletion_without_confirmed_hours_removes_the_volunteer_entirely(client):
    me = logged_in(client, VolunteerWithUserFactory())
    client.post("/accounts/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert not Volunteer.objects.filter(pk=me.pk).exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(pk=me.user_id).exists()


def test_deletion_needs_the_confirmation_box(client):
    logged_in(client, VolunteerWithUserFactory())
    html = client.post("/accounts/me/delete/", {"password": PASSWORD}).content.decode()
    assert "请勾选确认后再注销" in html and Volunteer.objects.exists()


def test_withdrawing_the_id_number_consent_deletes_the_number(client, registration_data):
    client.post(URL, registration_data)
    volunteer = Volunteer.objects.get()
    client.force_login(volunteer.user)
    assert "撤回身份证号单独同意" in client.get("/accounts/me/").content.decode()
    client.post("/accounts/me/id-consent/withdraw/", {})
    assert Volunteer.objects.get().id_number  # not without ticking the box
    response = client.post("/accounts/me/id-consent/withdraw/", {"confirm": "on"}, follow=True)
    assert "您的身份证号已删除" in response.content.decode()
    volunteer.refresh_from_db()
    assert (volunteer.id_number, volunteer.id_number_hash) == ("", None)
    assert volunteer.consents.get(kind=Consent.Kind.ID_NUMBER).withdrawn_at is not None
    assert "撤回身份证号单独同意" not in client.get("/accounts/me/").content.decode()
