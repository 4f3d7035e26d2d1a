import pytest

from tests.association.factories import CountyFactory
from volunteers.idcard import synthetic_identity
from volunteers.models import Volunteer

from .factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newcomer_registers_after_fixing_a_wrong_id_number_and_sees_under_review(page):
    CountyFactory(name="清丰县")
    TeamFactory(name="乡村振兴服务队")
    number, birth, gender = synthetic_identity(654_321)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")

    page.goto(page.base_url + "/")
    page.get_by_role("link", name="志愿者注册").first.click()
    assert page.get_by_role("heading", name="科技志愿者实名注册").is_visible()
    page.get_by_label("姓名").fill("韩晓燕")
    page.get_by_label("身份证号", exact=True).fill(wrong)
    page.get_by_label("我单独同意").check()
    page.get_by_label("手机号码").fill("13903930001")
    page.get_by_label("电子邮箱").fill("hanxiaoyan@example.org")
    page.get_by_label("政治面貌").select_option(label="民进")
    page.get_by_label("学历").select_option(label="大学本科")
    page.get_by_label("职称", exact=True).fill("高级农艺师")
    page.get_by_label("专业领域").fill("农业")
    page.get_by_label("所在县（区）").select_option(label="清丰县")
    page.get_by_label("乡村振兴服务队").check()
    page.get_by_label("设置密码").fill("Kexie-2025-abc")
    page.get_by_label("确认密码").fill("Kexie-2025-abc")
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="提交注册").click()

    # the message sits beside the ID number field; what was typed is still there
    feedback = page.locator("#id_id_number ~ .invalid-feedback, #id_id_number + .invalid-feedback, [id^='error_'][id*='id_number']")
    assert "身份证号校验位不正确" in feedback.first.inner_text()
    assert page.get_by_label("姓名").input_value() == "韩晓燕"
    assert page.get_by_label("手机号码").input_value() == "13903930001"
    assert page.get_by_label("乡村振兴服务队").is_checked()
    assert not Volunteer.objects.exists()

    page.get_by_label("身份证号", exact=True).fill(number)
    page.get_by_label("设置密码").fill("Kexie-2025-abc")
    page.get_by_label("确认密码").fill("Kexie-2025-abc")
    page.get_by_role("button", name="提交注册").click()

    page.wait_for_url("**/volunteers/register/done/")
    assert page.get_by_role("heading", name="注册信息已提交").is_visible()
    page.get_by_role("main").get_by_role("link", name="登录", exact=True).click()
    page.get_by_label("用户名").fill("hanxiaoyan@example.org")
    page.get_by_label("密码").fill("Kexie-2025-abc")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/me/")
    assert page.get_by_test_id("status").inner_text() == "审核中"
    assert "韩晓燕的志愿服务" in page.get_by_role("heading", level=1).inner_text()
    assert number not in page.content()
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.PENDING
    # gender and birth date were never asked for: they come from the ID number
    assert (volunteer.gender, volunteer.birth_date) == (gender, birth)
