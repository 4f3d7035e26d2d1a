"""The QR codes the portal shows are read by the portal's own decoder (jsQR, vendored),
in Chromium at a phone's size: the activity's code for volunteers and an attendee's
check-in code; then a volunteer follows the activity's link and checks in."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from events.models import ServiceAttendance
from events.services import attendance, registrations
from tests.events.factories import EventFactory
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerWithUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECODE = """async (selector) => {
  const svg = document.querySelector(selector);
  const img = new Image();
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  await img.decode();
  return window.KxQr.decodeImage(img);
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def _log_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": page.base_url}])


def _with_decoder(page):
    page.add_script_tag(url=page.base_url + "/static/vendor/jsqr-1.4.0/jsQR.js")
    page.add_script_tag(url=page.base_url + "/static/events/qr_scanner.js")


def test_activity_qr_decodes_to_its_check_in_link_and_the_volunteer_checks_in(phone):
    team = TeamFactory()
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    event = EventFactory(title="科技志愿服务进社区", start=start, end=start + timedelta(hours=3))
    event.teams.add(team)
    leader, volunteer = VolunteerWithUserFactory(), VolunteerWithUserFactory()
    MembershipFactory(volunteer=leader, team=team, role="team_leader")
    MembershipFactory(volunteer=volunteer, team=team)

    _log_in(phone, leader.user)
    phone.goto(f"{phone.base_url}/events/{event.pk}/service-qr/")
    expect(phone.get_by_test_id("activity-qr").locator("svg")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone
    _with_decoder(phone)
    decoded = phone.evaluate(DECODE, "[data-testid=activity-qr] svg")
    assert decoded == attendance.check_in_url(event.pk)
    expect(phone.get_by_test_id("activity-code")).to_have_text(attendance.activity_code(event.pk))

    phone.context.clear_cookies()
    _log_in(phone, volunteer.user)
    phone.goto(decoded.replace(settings.SITE_URL, phone.base_url))
    phone.get_by_role("button", name="签到").click()
    expect(phone.get_by_text("签到成功")).to_be_visible()
    expect(phone.get_by_role("button", name="签退")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert ServiceAttendance.objects.get().volunteer_id == volunteer.pk


def test_attendees_check_in_qr_decodes_to_the_desk_link_with_their_code(phone):
    event = EventFactory(capacity=10)
    registration = registrations.register(event_id=event.pk, name="王芳", mobile="13812345678")
    phone.goto(phone.base_url + registration.get_absolute_url())
    expect(phone.locator(".qr-box svg")).to_be_visible()
    _with_decoder(phone)
    decoded = phone.evaluate(DECODE, ".qr-box svg")
    assert decoded == f"{settings.SITE_URL}/events/{event.pk}/check-in/?code={registration.check_in_code}"


def test_scanner_pages_load_the_decoder_and_keep_the_typed_code(phone):
    team = TeamFactory()
    volunteer = VolunteerWithUserFactory()
    MembershipFactory(volunteer=volunteer, team=team)
    _log_in(phone, volunteer.user)
    phone.goto(phone.base_url + "/events/service/")
    assert phone.evaluate("typeof window.jsQR === 'function' && window.KxQr.supported()")
    expect(phone.get_by_role("button", name="打开摄像头扫码")).to_be_visible()
    phone.get_by_label("活动签到码").fill("ZZZZ9999")
    phone.get_by_role("button", name="下一步").click()
    expect(phone.get_by_text("没有找到正在进行、可以签到的服务活动")).to_be_visible()
    assert phone.get_by_label("活动签到码").input_value() == "ZZZZ9999"


def _y4m_of_qr(text: str, path) -> None:
    """A still camera picture (Y4M, as Chromium's fake camera reads) of a QR code on white."""
    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=4)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    y = frame.tobytes()
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(5):
            out.write(b"FRAME\n" + y + chroma + chroma)


@pytest.fixture
def camera_phone(browser, live_server, tmp_path):
    """``camera_phone(text)``: a phone-sized page whose camera (Chromium's fake one) sees a QR of ``text``."""
    from tests.conftest import CHROMIUM

    launched = []

    def open_phone(text):
        video = tmp_path / "qr.y4m"
        _y4m_of_qr(text, video)
        camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        launched.append(camera_browser)
        context = camera_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN",
                                             permissions=["camera"])
        context.set_default_timeout(15000)
        page = context.new_page()
        page.base_url = live_server.url
        return page

    yield open_phone
    for camera_browser in launched:
        camera_browser.close()


def test_in_page_scanner_reads_the_activity_qr_from_the_camera(camera_phone):
    """A volunteer's phone camera, read in the page by jsQR, opens the activity's check-in."""
    team = TeamFactory()
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    event = EventFactory(title="科技志愿服务进校园", start=start, end=start + timedelta(hours=2))
    event.teams.add(team)
    volunteer = VolunteerWithUserFactory()
    MembershipFactory(volunteer=volunteer, team=team)
    page = camera_phone(attendance.check_in_url(event.pk))
    _log_in(page, volunteer.user)
    page.goto(page.base_url + "/events/service/")
    page.get_by_role("button", name="打开摄像头扫码").click()
    expect(page.get_by_role("button", name="签到")).to_be_visible()
    assert page.url.endswith(f"/events/{event.pk}/service/?code={attendance.activity_code(event.pk)}")


def test_staff_desk_scanner_reads_an_attendees_qr_from_the_camera(camera_phone, staff_with):
    event = EventFactory(capacity=10)
    registration = registrations.register(event_id=event.pk, name="李明", mobile="13912345678")
    page = camera_phone(f"{settings.SITE_URL}/events/{event.pk}/check-in/?code={registration.check_in_code}")
    _log_in(page, staff_with("events.check_in_registration"))
    page.goto(f"{page.base_url}/events/{event.pk}/check-in/")
    page.get_by_role("button", name="打开摄像头扫码").click()
    # The desk reopens the camera after each scan; the same code held up again is refused.
    expect(page.locator("#checked-in-count")).to_have_text("1")
    expect(page.get_by_text("请勿重复签到")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == registration.Status.CHECKED_IN
