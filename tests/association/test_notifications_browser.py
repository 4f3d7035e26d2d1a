"""A volunteer on a phone reads a notice in the inbox: the count on their own page, the
message opened, then read."""

import pytest

from association import notices
from tests.association.factories import StaffFactory
from tests.volunteers.factories import VolunteerWithUserFactory
from volunteers.models import Volunteer
from volunteers.services import review
from volunteers.tasks import send_review_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_opens_a_notice_from_their_page_on_a_phone(page):
    person = VolunteerWithUserFactory(status=Volunteer.Status.PENDING, user__username="reader@example.org")
    person.user.set_password("Kexie-2025-abc")
    person.user.save()
    review.approve(volunteer_id=person.pk, actor=StaffFactory())
    send_review_notice(person.pk)  # as the worker would
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill("reader@example.org")
    page.get_by_label("密码").fill("Kexie-2025-abc")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/me/")
    section = page.locator("#my-notices")
    assert "1 条未读" in section.inner_text()
    section.get_by_role("link", name="全部消息").click()
    page.get_by_role("button", name="未读 【科技志愿服务】您的志愿者注册已审核通过").click()
    assert "您在濮阳市科协网站提交的科技志愿者实名注册已审核通过" in page.get_by_test_id("message-body").inner_text()
    assert notices.unread_count(person.user) == 0
    page.get_by_role("link", name="返回我的消息").click()
    assert "条未读" not in page.locator("h1").inner_text()
