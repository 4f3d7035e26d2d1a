"""A volunteer's own business online, tried as a new user would, on a phone: signs up for
an event while logged in and finds it on their page; checks in and out at a service
activity by its QR link and sees the hours; asks for a 补录 with a photo, which the team
leader approves; downloads their data; closes their account."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from events.models import Registration, ServiceAttendance
from events.services import attendance
from tests.events.factories import EventFactory, PastEventFactory
from volunteers.models import HoursClaim, Membership, ServiceRecord, Volunteer

from .factories import MembershipFactory, TeamFactory, VolunteerWithUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Passw0rd!23"  # UserFactory's


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def log_in(page, user):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")
    page.wait_for_url("**/accounts/me/")


def photo_file(tmp_path) -> Path:
    path = tmp_path / "现场照片.jpg"
    Image.new("RGB", (320, 240), (40, 110, 60)).save(path, "JPEG")
    return path


def test_a_volunteer_does_their_own_business_from_sign_up_to_closing_the_account(phone, tmp_path):
    team = TeamFactory(name="农业科技服务队")
    me = VolunteerWithUserFactory(name="韩晓燕")
    leader = VolunteerWithUserFactory(name="宋立国")
    MembershipFactory(volunteer=me, team=team)
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    lecture = EventFactory(title="冬季农业科技讲座", start=timezone.now() + timedelta(days=10),
                           end=timezone.now() + timedelta(days=10, hours=2))
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    service = EventFactory(title="科技志愿服务进社区", start=start, end=start + timedelta(hours=3))
    service.teams.add(team)
    earlier = PastEventFactory(title="秋季科普大篷车进乡村")
    earlier.teams.add(team)

    log_in(phone, me.user)

    # 1. Sign up while logged in; the sign-up is on my page.
    phone.goto(f"{phone.base_url}/events/{lecture.pk}/register/")
    if not phone.get_by_label("姓名").input_value():
        phone.get_by_label("姓名").fill(me.name)
    if not phone.get_by_label("手机号码").input_value():
        phone.get_by_label("手机号码").fill(me.mobile)
    phone.get_by_label("我同意主办方").check()
    phone.get_by_role("button", name="提交报名").click()
    expect(phone.get_by_text("报名成功").first).to_be_visible()
    assert Registration.objects.get(event=lecture).user_id == me.user_id
    phone.goto(phone.base_url + "/accounts/me/")
    expect(phone.locator("#my-events").get_by_text("冬季农业科技讲座")).to_be_visible()

    # 2. Check in by the activity's QR link, check out later: the hours are on my page.
    phone.goto(attendance.check_in_url(service.pk).replace(settings.SITE_URL, phone.base_url))
    phone.get_by_role("button", name="签到").click()
    expect(phone.get_by_text("签到成功")).to_be_visible()
    # Two hours of serving pass.
    ServiceAttendance.objects.filter(volunteer=me).update(checked_in_at=timezone.now() - timedelta(hours=2))
    phone.goto(attendance.check_in_url(service.pk).replace(settings.SITE_URL, phone.base_url))
    phone.get_by_role("button", name="签退").click()
    expect(phone.get_by_text("签退成功")).to_be_visible()
    phone.goto(phone.base_url + "/accounts/me/")
    check_ins = phone.locator("#my-service-check-ins")
    expect(check_ins.get_by_text("科技志愿服务进社区")).to_be_visible()
    expect(check_ins.get_by_text("2", exact=True)).to_be_visible()

    # 3. Ask for missing hours at the earlier activity, with a photo; the team leader approves.
    phone.goto(phone.base_url + "/accounts/me/claims/new/")
    phone.get_by_label("服务活动").select_option(value=f"events.event:{earlier.pk}")
    phone.get_by_label("申请时长（小时）").fill("2.5")
    phone.get_by_label("补录理由").fill("当天手机没电，未能扫码签到。")
    phone.get_by_label("证明材料").set_input_files(str(photo_file(tmp_path)))
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_text("补录申请已提交")).to_be_visible()

    phone.context.clear_cookies()
    log_in(phone, leader.user)
    phone.goto(phone.base_url + "/accounts/me/claims/review/")
    phone.get_by_label("选择 韩晓燕 的申请").check()
    phone.get_by_role("button", name="通过所选", exact=True).click()
    expect(phone.get_by_text("已审核 1 条补录申请")).to_be_visible()
    assert HoursClaim.objects.get().status == HoursClaim.Status.APPROVED

    phone.context.clear_cookies()
    log_in(phone, me.user)
    confirmed = ServiceRecord.objects.get(volunteer=me, status=ServiceRecord.Status.CONFIRMED)
    assert (confirmed.title, str(confirmed.hours)) == ("秋季科普大篷车进乡村", "2.5")

    # 4. Download my data: it holds the sign-up, the check-in, the claim and the hours.
    phone.get_by_role("link", name="下载我的个人信息").click()
    phone.get_by_label("登录密码").fill(PASSWORD)
    phone.get_by_label("JSON 文件").check()
    with phone.expect_download() as download:
        phone.get_by_role("button", name="下载").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["基本资料"][0]["姓名"] == "韩晓燕"
    assert [r["活动"] for r in data["活动报名"]] == ["冬季农业科技讲座"]
    assert [r["活动"] for r in data["服务签到"]] == ["科技志愿服务进社区"]
    assert [(r["服务内容"], r["状态"]) for r in data["补录申请"]] == [("秋季科普大篷车进乡村", "已通过")]
    assert sorted(r["时长（小时）"] for r in data["服务记录"]) == ["2.0", "2.5"]

    # 5. Close the account: logged out, the confirmed hours stay without my name.
    phone.goto(phone.base_url + "/accounts/me/")
    phone.get_by_role("link", name="注销账号").click()
    phone.get_by_label("登录密码").fill(PASSWORD)
    phone.get_by_label("我已了解").check()
    phone.get_by_role("button", name="确认注销").click()
    expect(phone.get_by_role("heading", name="账号已注销")).to_be_visible()
    kept = Volunteer.objects.get(pk=me.pk)
    assert kept.name == "已注销志愿者" and kept.user_id is None
    assert not HoursClaim.objects.exists()
    assert Registration.objects.get(event=lecture).name != "韩晓燕"
