import json
from pathlib import Path

import pytest

from volunteers.models import Volunteer

from .factories import RecordFactory, VolunteerWithUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_downloads_their_data_then_closes_their_account(page):
    volunteer = VolunteerWithUserFactory(name="韩晓燕")
    RecordFactory(volunteer=volunteer, title="科普日讲座")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(volunteer.user.username)
    page.get_by_label("密码").fill("Passw0rd!23")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/me/")

    page.get_by_role("link", name="下载我的个人信息").click()
    page.get_by_label("登录密码").fill("Passw0rd!23")
    page.get_by_label("JSON 文件").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["基本资料"][0]["姓名"] == "韩晓燕" and data["服务记录"][0]["服务内容"] == "科普日讲座"

    page.goto(page.base_url + "/accounts/me/")
    page.get_by_role("link", name="注销账号").click()
    page.get_by_label("登录密码").fill("Passw0rd!23")
    page.get_by_label("我已了解").check()
    page.get_by_role("button", name="确认注销").click()
    assert page.get_by_role("heading", name="账号已注销").is_visible()
    assert Volunteer.objects.get().name == "已注销志愿者"
