"""Property-based tests (Hypothesis) of every public form: whatever anybody types — any
Unicode, control characters, markup, very long text, numbers out of range — the form never
breaks, bad input is refused with a Chinese message at the field and nothing is saved, and
the page never renders what was typed as markup.

Forms are driven directly for most examples (fast); a few examples go through the full
view with the test client.
"""

import datetime
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talents.forms import DemandForm, NominationForm, ObjectionForm
from talents.models import Nomination, Objection, TechDemand
from tests.association.factories import OrganizationFactory
from tests.talents.factories import FieldFactory, pdf_upload
from volunteers.forms import OrderForm, RegistrationForm
from volunteers.idcard import parse_id_number, synthetic_identity
from volunteers.models import ServiceOrder, Volunteer
from volunteers.services.registration import register_volunteer

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
# Modest by default so the suite stays fast; HYPOTHESIS_EXAMPLES=1000 for a long hunt.
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "40"))
FORM_RUNS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
VIEW_RUNS = settings(
    max_examples=max(8, EXAMPLES // 5), deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCRIPT = "<script>alert('kx')</script>"
NASTY = st.sampled_from([
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "{{ request.user.password }}{% debug %}",
    "'; DROP TABLE volunteers_volunteer; --",
    "\u202e\u200b\ufeff",
    "\x00", "a\x00b", "\x1b[31m\x07\x08", "\r\n\r\n", "\t",
    "𠀀𠀁𪚥", "😀" * 30, "../../etc/passwd", "%s%n%x", "NaN", "-Infinity", "1e999999",
    "٤١٠٨٢٢١٩٨٠٠١٠١٠٠٠٠", "１３８１２３４５６７８", "99999999999999999999999999", "-1", "0",
])
TEXT = st.one_of(
    st.text(max_size=60),  # any Unicode but lone surrogates (which cannot be sent)
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),  # control characters
    NASTY,
    st.builds(lambda piece, n: piece * n, st.text(min_size=1, max_size=3), st.integers(1_000, 20_000)),  # very long
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=10), NASTY, st.text(max_size=10)),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def overrides(fields):
    """Some of the form's fields replaced by arbitrary text, the others left valid."""
    return st.dictionaries(keys=st.sampled_from(sorted(fields)), values=TEXT, min_size=1, max_size=len(fields))


def assert_refused_in_chinese(form):
    assert form.errors, "expected the input to be refused"
    for field, errors in form.errors.items():
        for message in errors:
            assert CJK.search(message), f"{field}: {message!r} is not Chinese"


def assert_no_markup(html):
    """What was typed shows escaped (&lt;script&gt;), never as a tag of the page."""
    assert "<script>alert(" not in html
    assert "<img src=x" not in html


def check(form):
    """Never raises; when refused, every message is Chinese."""
    if not form.is_valid():
        assert_refused_in_chinese(form)
        return False
    return True


ASCII_ID = re.compile(r"^[0-9]{17}[0-9X]$")
ASCII_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
ASCII_PHONE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")


# -- volunteer registration ------------------------------------------------------------------


@pytest.fixture
def registration_data(county):
    id_number, _birth, _gender = synthetic_identity(800_001)
    return {
        "name": "周晓明", "id_number": id_number,
        "phone": "13812345678", "email": "zhou@example.org", "political_status": "jiusan", "education": "master",
        "title": "高级工程师", "title_level": "2", "field": "化工", "employer": "濮阳市化工研究所",
        "county": str(county.pk), "skills": "精细化工", "password1": "Kexie-2025-abc", "password2": "Kexie-2025-abc",
        "consent": "on", "id_consent": "on",
    }


# Asked only of those who give no ID number: with one, whatever is posted for them is
# replaced by what the ID number says.
STRAY_REGISTRATION_FIELDS = {"gender", "birth_date"}


@FORM_RUNS
@given(changes=overrides(set(RegistrationForm.base_fields) | STRAY_REGISTRATION_FIELDS))
def test_registration_form_refuses_anything_typed_wrongly_in_chinese(registration_data, changes):
    form = RegistrationForm({**registration_data, **changes})
    if check(form):
        # Accepted only in the one spelling the uniqueness checks know.
        assert ASCII_ID.match(form.cleaned_data["id_number"])
        assert ASCII_MOBILE.match(form.cleaned_data["phone"])
        assert "website" not in changes or not changes["website"]
        data = form.volunteer_data()
        if data["id_number"]:
            info = parse_id_number(data["id_number"])
            assert (data["gender"], data["birth_date"]) == (info.gender, info.birth_date)
        else:
            assert not form.cleaned_data.get("id_consent") and data["gender"] and data["birth_date"]


@FORM_RUNS
@given(serial=st.integers(min_value=0, max_value=7_000_000),
       stray=st.fixed_dictionaries({}, optional=dict.fromkeys(sorted(STRAY_REGISTRATION_FIELDS), TEXT)))
def test_registration_stores_the_gender_and_birth_date_the_id_number_gives(registration_data, serial, stray):
    id_number, birth, gender = synthetic_identity(serial)
    form = RegistrationForm({**registration_data, **stray, "id_number": id_number})
    assert form.is_valid(), form.errors
    with transaction.atomic():
        volunteer = register_volunteer(data=form.volunteer_data(), password=form.cleaned_data["password1"],
                                       given=form.consents())
        stored = Volunteer.objects.get(pk=volunteer.pk)
        assert (stored.gender, stored.birth_date) == (gender, birth)
        transaction.set_rollback(True)


def test_registration_form_reads_full_width_digits_as_the_same_number(registration_data):
    full_width = registration_data["id_number"].translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    form = RegistrationForm({**registration_data, "id_number": full_width, "phone": "１３８１２３４５６７８"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == registration_data["id_number"]
    assert form.cleaned_data["phone"] == "13812345678"


def test_registration_form_refuses_digits_of_other_scripts(registration_data):
    arabic = registration_data["id_number"][:2] + registration_data["id_number"][2:].translate(
        str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    )
    form = RegistrationForm({**registration_data, "id_number": arabic, "phone": "1٣٨١٢٣٤٥٦٧٨"})
    assert not form.is_valid()
    assert "身份证号应为18位" in form.errors["id_number"][0]
    assert "11位中国大陆手机号码" in form.errors["phone"][0]


@VIEW_RUNS
@given(changes=overrides(set(RegistrationForm.base_fields) | STRAY_REGISTRATION_FIELDS), payload=NASTY)
def test_registration_page_never_breaks_never_renders_markup_and_saves_nothing_refused(
    client, registration_data, settings, changes, payload
):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "10000/m"
    data = {**registration_data, **changes, "skills": SCRIPT + payload, "website": "x"}  # the honeypot refuses it
    response = client.post("/volunteers/register/", data)
    assert response.status_code == 200
    assert_no_markup(response.content.decode())
    form = response.context["form"]
    assert_refused_in_chinese(form)
    assert form.errors["website"] == ["提交未通过校验，请刷新页面后重试。"]
    assert not Volunteer.objects.exists()


# -- ordering a service ----------------------------------------------------------------------


@pytest.fixture
def order_data(county):
    return {
        "orderer_kind": "school", "orderer_name": "清丰县韩村镇中心小学", "contact_name": "赵老师",
        "contact_phone": "13912345678", "email": "", "county": str(county.pk), "address": "韩村镇",
        "wanted_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(), "audience_size": "60",
        "needs": "希望开展科学实验课。",
    }


@FORM_RUNS
@given(changes=overrides(OrderForm.base_fields))
def test_order_form_refuses_anything_typed_wrongly_in_chinese(order_data, changes):
    form = OrderForm({**order_data, **changes})
    if check(form):
        assert ASCII_PHONE.match(form.cleaned_data["contact_phone"])


@VIEW_RUNS
@given(changes=overrides(set(OrderForm.base_fields) - {"website"}), payload=NASTY)
def test_order_page_never_breaks_never_renders_markup_and_saves_nothing_refused(
    client, project, order_data, settings, changes, payload
):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "10000/m"
    data = {**order_data, **changes, "needs": SCRIPT + payload, "wanted_date": "2000-01-01"}  # a past date is refused
    response = client.post(f"/volunteers/projects/{project.pk}/order/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_markup(html)
    assert_refused_in_chinese(response.context["form"])
    assert not ServiceOrder.objects.exists()


# -- award nomination ------------------------------------------------------------------------


@pytest.fixture
def nomination_data():
    return {
        "nominating_unit": str(OrganizationFactory().pk), "contact_person": "王联系", "contact_phone": "13838383838",
        "nominee_name": "刘青年", "nominee_gender": "M", "nominee_birth_date": "1980-05-01", "nominee_title": "高级工程师",
        "nominee_title_level": "2", "nominee_employer": "濮阳市化工研究所", "nominee_field": str(FieldFactory().pk),
        "summary": "在生物基材料研发中成绩突出。",
    }


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The multipart parser hands a view only a base name; "", "." and ".." never arrive.
    return SimpleUploadedFile(name if os.path.basename(name) not in ("", ".", "..") else "x", content)


UPLOAD = st.builds(
    _upload,
    st.one_of(st.text(max_size=40).filter(lambda n: "\x00" not in n), NASTY.filter(lambda n: "\x00" not in n)),
    st.one_of(st.binary(max_size=3000), st.just(b"%PDF-1.4\n<script>alert(1)</script>"), st.just(b"<html><script>alert(1)</script>")),
)


@FORM_RUNS
@given(changes=overrides(set(NominationForm.base_fields) - {"recommendation", "attachments", "nominee_organization"}),
       upload=UPLOAD)
def test_nomination_form_refuses_anything_typed_or_uploaded_wrongly_in_chinese(open_round, nomination_data, changes, upload):
    form = NominationForm({**nomination_data, **changes}, {"recommendation": upload}, award_round=open_round)
    assert not form.is_valid()  # random bytes are never a PDF with an end marker, nor a whole image
    assert_refused_in_chinese(form)
    assert "recommendation" in form.errors


@FORM_RUNS
@given(changes=overrides(set(NominationForm.base_fields) - {"recommendation", "attachments", "nominee_organization"}))
def test_nomination_form_with_a_good_file_refuses_bad_fields_in_chinese(open_round, nomination_data, changes):
    form = NominationForm({**nomination_data, **changes}, {"recommendation": pdf_upload()}, award_round=open_round)
    if check(form):
        assert ASCII_PHONE.match(form.cleaned_data["contact_phone"])


@VIEW_RUNS
@given(changes=overrides(set(NominationForm.base_fields) - {"recommendation", "attachments", "nominee_organization", "website"}),
       payload=NASTY)
def test_nomination_page_never_breaks_never_renders_markup_and_saves_nothing_refused(
    client, open_round, nomination_data, settings, changes, payload
):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "10000/m"
    data = {**nomination_data, **changes, "summary": SCRIPT + payload,
            "recommendation": SimpleUploadedFile("推荐表.pdf.html", b"<html><script>alert(1)</script></html>")}
    response = client.post(f"/talents/awards/{open_round.pk}/nominate/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_markup(html)
    assert_refused_in_chinese(response.context["form"])
    assert not Nomination.objects.exists()


# -- objection to the 公示 ---------------------------------------------------------------------


@FORM_RUNS
@given(changes=overrides(ObjectionForm.base_fields))
def test_objection_form_refuses_anything_typed_wrongly_in_chinese(publicised_round, changes):
    award_round, nomination = publicised_round
    data = {"nomination": str(nomination.pk), "name": "赵举报", "contact": "13611112222", "reason": "该同志的获奖证书与事实不符，请核查。"}
    form = ObjectionForm({**data, **changes}, award_round=award_round)
    if check(form):
        assert ASCII_PHONE.match(form.cleaned_data["contact"])


@VIEW_RUNS
@given(changes=overrides(set(ObjectionForm.base_fields) - {"website"}), payload=NASTY)
def test_objection_page_never_breaks_never_renders_markup_and_saves_nothing_refused(
    client, publicised_round, settings, changes, payload
):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "10000/m"
    award_round, nomination = publicised_round
    data = {"nomination": str(nomination.pk), "name": "赵举报", "contact": "13611112222", **changes,
            "reason": SCRIPT + payload, "website": "http://spam.example"}
    response = client.post(f"/talents/awards/{award_round.pk}/objection/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_markup(html)
    assert_refused_in_chinese(response.context["form"])
    assert not Objection.objects.exists()


# -- technology demand -----------------------------------------------------------------------


@pytest.fixture
def demand_data():
    return {
        "kind": "technology", "industry": "food", "title": "速冻食品保鲜工艺", "related_fields": [str(FieldFactory().pk)],
        "description": "希望与高校合作改进速冻食品的保鲜工艺，延长货架期。", "enterprise_name": "某食品有限公司",
        "contact_person": "王", "contact_phone": "13698765432", "consent": "on", "budget": "12.5",
    }


@FORM_RUNS
@given(changes=overrides(DemandForm.base_fields))
def test_demand_form_refuses_anything_typed_wrongly_in_chinese(demand_data, changes):
    form = DemandForm({**demand_data, **changes})
    if check(form):
        assert ASCII_PHONE.match(form.cleaned_data["contact_phone"])


@VIEW_RUNS
@given(changes=overrides(set(DemandForm.base_fields) - {"website"}), payload=NASTY)
def test_demand_page_never_breaks_never_renders_markup_and_saves_nothing_refused(client, demand_data, settings, changes, payload):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "10000/m"
    data = {**demand_data, **changes, "title": SCRIPT + payload, "consent": ""}  # no consent: refused
    response = client.post("/talents/demands/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_markup(html)
    assert_refused_in_chinese(response.context["form"])
    assert not TechDemand.objects.exists()


@pytest.mark.parametrize("path", ["/talents/demands/", "/talents/experts/", "/organizations/", "/volunteers/projects/"])
@VIEW_RUNS
@given(query=TEXT)
def test_public_lists_take_any_search_text_and_page_number(client, path, query):
    for params in ({"q": query}, {"page": query}, {"county": query, "field": query, "kind": query}):
        response = client.get(path, params)
        assert response.status_code == (400 if "\x00" in query else 200)
        assert_no_markup(response.content.decode())


@pytest.mark.parametrize("path", [
    "/volunteers/orders/abc%00def/", "/events/registration/abc%00/", "/volunteers/certificates/verify/AB%00C/",
    "/talents/demands/?q=%00", "/news/?q=a%00b",
])
def test_a_nul_character_anywhere_in_the_address_is_refused_not_a_server_error(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "无法识别的字符" in response.content.decode()
