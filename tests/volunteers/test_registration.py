import logging
import re
import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from association.models import AuditEntry
from volunteers.idcard import check_digit
from volunteers.models import Volunteer
from volunteers.services.registration import CONSENT_VERSION

from .conftest import valid_id
from .factories import TeamFactory, VolunteerFactory, VolunteerWithUserFactory

pytestmark = pytest.mark.django_db
URL = "/volunteers/register/"


def errors_of(response):
    return response.context["form"].errors


DONE = "/volunteers/register/done/"


def log_in(client, data):
    return client.post("/accounts/login/", {"username": data["email"], "password": data["password1"]}, follow=True)


def test_registration_is_received_and_the_volunteer_logs_in_to_see_it_under_review(client, registration_data):
    team = TeamFactory(name="化工新材料服务队")
    response = client.post(URL, {**registration_data, "teams": [team.pk]}, follow=True)
    assert response.redirect_chain == [(DONE, 302)]
    assert "注册信息已提交" in response.content.decode()
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.PENDING
    assert volunteer.user.username == "zhou@example.org"
    assert list(volunteer.wished_teams.all()) == [team]
    assert volunteer.consent_version == CONSENT_VERSION and volunteer.consent_at is not None
    assert volunteer.get_title_level_display() == "副高级"

    response = log_in(client, registration_data)
    assert response.redirect_chain[-1][0] == "/accounts/me/"
    html = response.content.decode()
    assert "审核中" in html
    # the page shows the volunteer's own numbers masked only
    assert registration_data["id_number"] not in html and "13812345678" not in html
    assert "138****5678" in html


def test_id_number_and_mobile_are_encrypted_at_rest(client, registration_data):
    client.post(URL, registration_data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, id_number_hash FROM volunteers_volunteer")
        raw_id, raw_mobile, hashed = cursor.fetchone()
    assert registration_data["id_number"] not in raw_id and "13812345678" not in raw_mobile
    assert len(hashed) == 64
    assert Volunteer.objects.get().id_number == registration_data["id_number"]


def test_wrong_check_digit_gets_chinese_message_at_the_field_and_keeps_the_rest(client, registration_data):
    bad = registration_data["id_number"][:17] + ("0" if registration_data["id_number"][17] != "0" else "1")
    response = client.post(URL, {**registration_data, "id_number": bad})
    assert response.status_code == 200
    assert errors_of(response)["id_number"] == ["身份证号校验位不正确，可能有数字输错，请逐位核对。"]
    html = response.content.decode()
    assert 'value="周晓明"' in html and 'value="zhou@example.org"' in html and 'value="濮阳市化工研究所"' in html
    assert "精细化工" in html
    assert not Volunteer.objects.exists()


def test_form_sent_back_asks_to_type_the_passwords_again_beside_them(client, registration_data):
    html = client.post(URL, {**registration_data, "phone": "12345"}).content.decode()
    hint = "为安全起见，密码不会随表单保留，请重新输入设置密码和确认密码。"
    assert html.count(hint) == 1
    assert html.index("三、设置登录密码") < html.index(hint) < html.index('name="password1"')
    assert registration_data["password1"] not in html
    assert hint not in client.get(URL).content.decode()


def test_impossible_birth_date_in_the_id_number_is_refused(client, registration_data):
    response = client.post(URL, {**registration_data, "id_number": "410902199002300017"})
    assert "出生日期不是一个真实的日期" in errors_of(response)["id_number"][0]


def test_gender_and_birth_date_are_read_from_the_id_number(client, registration_data):
    first17 = "41090219850317002"  # 17th digit 2: even, so female
    number = first17 + check_digit(first17)
    client.post(URL, {**registration_data, "id_number": number})
    volunteer = Volunteer.objects.get()
    assert volunteer.get_gender_display() == "女"
    assert volunteer.birth_date == date(1985, 3, 17)


def test_gender_and_birth_date_posted_by_an_old_page_are_ignored(client, registration_data):
    first17 = "41090219701224003"  # 17th digit 3: odd, so male
    number = first17 + check_digit(first17)
    client.post(URL, {**registration_data, "id_number": number, "gender": "F", "birth_date": "1999-01-01"})
    volunteer = Volunteer.objects.get()
    assert (volunteer.get_gender_display(), volunteer.birth_date) == ("男", date(1970, 12, 24))


def test_form_asks_for_the_id_number_with_its_separate_consent_or_else_gender_and_birth_date(client):
    html = client.get(URL).content.decode()
    assert 'name="id_number"' in html and "性别和出生日期按身份证号登记" in html
    identity_section = html.split("一、实名信息")[1].split("二、专业情况")[0]
    assert "身份证号单独同意书" in identity_section and 'name="id_consent"' in identity_section
    labels = [label.strip() for label in re.findall(r"<label[^>]*>\s*([^<]*)", identity_section)]
    assert labels[:3] == ["姓名", "手机号码", "电子邮箱"]
    assert {"身份证号", "性别", "出生日期"} <= set(labels)


def test_form_sent_back_keeps_what_was_typed_and_the_separate_consent(client, registration_data):
    html = client.post(URL, {**registration_data, "phone": "12345"}).content.decode()
    assert f'value="{registration_data["id_number"]}"' in html and 'value="周晓明"' in html
    assert re.search(r'name="id_consent"[^>]*checked', html)


def test_own_page_shows_gender_and_birth_year_but_never_the_full_id_number(client, registration_data):
    first17 = "41090219850317002"
    number = first17 + check_digit(first17)
    client.post(URL, {**registration_data, "id_number": number})
    html = log_in(client, registration_data).content.decode()
    assert '性别</dt><dd class="col-7">女</dd>' in html
    assert '出生年份</dt><dd class="col-7">1985年</dd>' in html
    assert number not in html and "19850317" not in html


def test_bad_mobile_email_password_and_missing_consent_each_get_their_message(client, registration_data):
    data = {**registration_data, "phone": "12345", "email": "not-an-email", "password2": "different-1", "consent": ""}
    errors = errors_of(client.post(URL, data))
    assert errors["phone"] == ["请输入11位中国大陆手机号码，以1开头，例如13812345678。"]
    assert errors["email"] == ["请输入正确的电子邮箱地址，例如 name@example.org。"]
    assert errors["password2"] == ["两次输入的密码不一致。"]
    assert errors["consent"] == ["请阅读个人信息处理告知书，并勾选同意后再提交。"]


def first_volunteer():
    # Volunteers' user names are their e-mail addresses.
    return VolunteerWithUserFactory(name="另一个人", email="first@example.org", user__username="first@example.org",
                                    user__email="first@example.org")


def _answer(response):
    """What the person registering sees: status, where they are sent, the page's text."""
    return response.status_code, response.get("Location"), response.cookies.keys()


@pytest.mark.parametrize("taken", ["id_number", "phone", "email"])
def test_registering_with_data_already_registered_answers_as_a_fresh_registration(
    client, registration_data, eager_tasks, taken
):
    existing = first_volunteer()
    fresh = client.post(URL, {**registration_data, "email": "fresh@example.org", "phone": "13912345670",
                              "id_number": valid_id(700_002)[0]})
    stolen = {"id_number": existing.id_number, "phone": existing.mobile, "email": existing.user.username}[taken]
    again = Client().post(URL, {**registration_data, taken: stolen})

    assert _answer(again) == _answer(fresh) == (302, DONE, set())
    assert Client().get(again["Location"]).content == client.get(fresh["Location"]).content
    assert Volunteer.objects.count() == 2  # the first one and the fresh one; nothing for the second try
    assert not Volunteer.objects.filter(name="周晓明", email="zhou@example.org").exists()


@pytest.mark.parametrize("taken", ["id_number", "phone", "email"])
def test_the_one_registered_first_is_told_by_e_mail(client, registration_data, eager_tasks, taken):
    existing = first_volunteer()
    stolen = {"id_number": existing.id_number, "phone": existing.mobile, "email": existing.user.username}[taken]
    client.post(URL, {**registration_data, taken: stolen})

    assert [m.to for m in mail.outbox] == [["first@example.org"]]
    body = mail.outbox[0].body
    assert "另一个人，您好" in body and "没有被受理" in body and "/accounts/password-reset/" in body
    # nothing of what the other person typed
    for typed in ("周晓明", registration_data["id_number"], "13812345678", "zhou@example.org"):
        assert typed not in body or typed == stolen


def test_an_owner_is_told_once_an_hour_however_often_their_data_is_tried(client, registration_data, eager_tasks,
                                                                         settings):
    settings.PUBLIC_FORM_RATE = "100/h"
    existing = VolunteerFactory(email="first@example.org")
    for i in range(3):
        client.post(URL, {**registration_data, "id_number": existing.id_number, "email": f"try{i}@example.org"})
    assert len(mail.outbox) == 1


def test_a_staff_account_using_the_e_mail_as_its_name_is_told_too(client, registration_data, eager_tasks):
    from tests.association.factories import UserFactory

    UserFactory(username="zhou@example.org", email="zhou.work@example.org")
    response = client.post(URL, registration_data)
    assert response["Location"] == DONE and not Volunteer.objects.exists()
    assert [m.to for m in mail.outbox] == [["zhou.work@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_with_one_id_number_end_with_one_record(registration_data):
    barrier = threading.Barrier(2)
    results = []

    def submit(i):
        data = {**registration_data, "phone": f"1381234567{i}", "email": f"racer{i}@example.org"}
        c = Client()
        barrier.wait()
        results.append(c.post(URL, data).status_code)
        connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Volunteer.objects.count() == 1
    assert results == [302, 302]


def test_registration_is_audited_and_never_logs_personal_data(client, registration_data, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(URL, registration_data)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    for text in (caplog.text, entry.detail, entry.object_repr):
        assert registration_data["id_number"] not in text
        assert "13812345678" not in text


def test_logged_in_volunteer_is_sent_to_their_page(client):
    volunteer = VolunteerWithUserFactory()
    client.force_login(volunteer.user)
    assert client.get(URL).url == "/accounts/me/"


def test_person_under_sixteen_cannot_register(client, registration_data):
    first17 = f"410902{date.today().year - 10}0101001"
    number = first17 + check_digit(first17)
    response = client.post(URL, {**registration_data, "id_number": number})
    assert "年满16周岁" in response.context["form"].errors["id_number"][0]


def test_a_filled_honeypot_saves_nothing(client, registration_data):
    response = client.post(URL, {**registration_data, "website": "http://spam.example"})
    assert response.status_code == 200 and not Volunteer.objects.exists()


def test_one_id_number_submitted_over_and_over_is_stopped(client, registration_data, settings):
    settings.PUBLIC_FORM_PERSON_RATE = "2/h"
    for _ in range(2):
        client.post(URL, {**registration_data, "consent": ""})
    response = client.post(URL, registration_data)
    assert response.status_code == 200
    assert "提交的次数过多" in response.context["form"].errors["id_number"][0]
    assert not Volunteer.objects.exists()
