"""What the public sees: the list, the calendar, an event's page, the sign-up form and their own page."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from association.formatting import chinese_datetime
from events.models import Event, Registration
from events.services import registrations
from events.templatetags.events_tags import count_wan, money_wan
from tests.association.factories import CountyFactory
from tests.events.factories import EventFactory, EventOutcomeFactory, PastEventFactory, mobile

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_list_shows_upcoming_soonest_first_then_past_with_outcomes(client):
    later = EventFactory(title="冬季健康义诊进社区", start=timezone.now() + timedelta(days=20))
    sooner = EventFactory(title="设施蔬菜冬季管理讲座", start=timezone.now() + timedelta(days=3))
    EventOutcomeFactory(event=PastEventFactory(title="化工新材料服务队研讨会"), participants=16, beneficiaries=0)
    EventFactory(title="尚未发布的草稿活动", status=Event.Status.DRAFT)
    html = _html(client, "/events/")
    assert html.index(sooner.title) < html.index(later.title) < html.index("化工新材料服务队研讨会")
    assert "参与 16 人" in html
    assert "尚未发布的草稿活动" not in html
    assert "剩余 10 个名额" in html


def test_list_fills_pages_with_upcoming_then_past(client):
    for i in range(14):
        EventFactory(title=f"近期活动{i:02d}", start=timezone.now() + timedelta(days=i + 1))
    for i in range(3):
        PastEventFactory(title=f"往期活动{i:02d}", start=timezone.now() - timedelta(days=i + 10))
    first = _html(client, "/events/")
    second = _html(client, "/events/", page=2)
    assert "近期活动11" in first and "近期活动12" not in first
    assert "近期活动12" in second and "往期活动00" in second and "往期活动02" in second
    assert "第 2 / 2 页" in second


def test_list_filters_by_kind_county_and_month(client):
    nanle = CountyFactory(name="南乐县")
    start = datetime(2030, 5, 12, 9, tzinfo=TZ)
    EventFactory(title="南乐县生物基材料调研", kind=Event.Kind.SURVEY, county=nanle, start=start)
    EventFactory(title="范县科普大篷车", kind=Event.Kind.SCIENCE_VAN, start=start + timedelta(days=40),
                 county=CountyFactory(name="范县"))
    by_kind = _html(client, "/events/", kind="survey")
    assert "南乐县生物基材料调研" in by_kind and "范县科普大篷车" not in by_kind
    by_county = _html(client, "/events/", county=nanle.pk)
    assert "南乐县生物基材料调研" in by_county and "范县科普大篷车" not in by_county
    by_month = _html(client, "/events/", month="2030-06")
    assert "范县科普大篷车" in by_month and "南乐县生物基材料调研" not in by_month
    assert "2030年6月" in by_month


def test_list_ignores_nonsense_filters(client):
    EventFactory(title="科技活动周开幕式")
    html = _html(client, "/events/", kind="<script>", county="x", month="2030-13", page="abc")
    assert "科技活动周开幕式" in html and "<script>" not in html


def test_a_malformed_filter_is_dropped_and_the_others_still_apply(client):
    EventFactory(title="南乐县生物基材料调研", kind=Event.Kind.SURVEY)
    EventFactory(title="范县科普大篷车", kind=Event.Kind.SCIENCE_VAN)
    html = _html(client, "/events/", kind="survey", county="0", month="2030-13")
    assert "南乐县生物基材料调研" in html and "范县科普大篷车" not in html


def test_calendar_month_links_keep_the_other_filters(client):
    nanle = CountyFactory(name="南乐县")
    html = _html(client, "/events/calendar/", kind="survey", county=nanle.pk, month="2030-01", page="2")
    assert f'href="?kind=survey&amp;county={nanle.pk}&amp;month=2029-12" rel="prev"' in html
    assert f'href="?kind=survey&amp;county={nanle.pk}&amp;month=2030-02" rel="next"' in html
    assert f'href="/events/?kind=survey&amp;county={nanle.pk}&amp;month=2030-01"' in html  # the list view of it
    assert f'href="/events/calendar.ics?kind=survey&amp;county={nanle.pk}"' in html  # the feed, every month


def _make_events(n):
    for i in range(n):
        EventFactory(start=timezone.now() + timedelta(days=i + 1))
        EventOutcomeFactory(event=PastEventFactory(start=timezone.now() - timedelta(days=i + 5)))


def test_list_query_count_is_the_same_whatever_the_data(client, django_assert_num_queries):
    # both totals in one query, a slice of upcoming, a slice of past, the counties for the filter
    client.get("/events/")
    with django_assert_num_queries(4):
        client.get("/events/")
    _make_events(2)
    with django_assert_num_queries(4):
        client.get("/events/")
    _make_events(25)
    for params in ({"page": 1}, {"page": 3}, {"page": 5}, {"kind": "survey"}, {"month": "2030-01"}):
        with django_assert_num_queries(4):
            client.get("/events/", params)


def test_calendar_places_events_on_their_days_with_flat_queries(client, django_assert_num_queries):
    EventFactory(title="机器人竞赛", start=datetime(2030, 3, 14, 8, tzinfo=TZ), end=datetime(2030, 3, 15, 17, tzinfo=TZ))
    EventFactory(title="四月的活动", start=datetime(2030, 4, 2, 8, tzinfo=TZ))
    html = _html(client, "/events/calendar/", month="2030-03")
    assert "2030年3月" in html
    assert html.count("机器人竞赛（") == 2  # both days it runs
    assert "四月的活动" not in html
    with django_assert_num_queries(2) as small:
        client.get("/events/calendar/", {"month": "2030-03"})
    for day in range(1, 28):
        EventFactory(start=datetime(2030, 3, day, 9, tzinfo=TZ))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/events/calendar/", {"month": "2030-03"})


def test_calendar_legend_explains_every_colour_its_events_carry(client):
    EventFactory(title="科创中国 技术对接沙龙", kind=Event.Kind.SEMINAR, start=datetime(2030, 3, 5, 14, tzinfo=TZ))
    EventFactory(title="化工新材料学术年会", kind=Event.Kind.ACADEMIC, start=datetime(2030, 3, 6, 9, tzinfo=TZ))
    html = _html(client, "/events/calendar/", month="2030-03")
    assert 'class="ev c-work" href' in html and 'class="ev c-meeting" href' in html
    legend = html[html.index('aria-label="颜色说明"'):]
    assert "蓝色：座谈、调研与培训（座谈会、调研、培训讲座）" in legend
    assert "红色：学术与产业会议（学术年会/论坛、产业技术大会）" in legend
    assert "绿色：科普活动" in legend and "橙色：义诊、竞赛与汇演" in legend
    for _value, label in Event.Kind.choices:
        assert f"{label}、" in legend or f"{label}）" in legend  # every kind has its colour explained


def test_calendar_on_a_phone_is_a_list_of_days_with_short_weekday_names(client):
    EventFactory(title="机器人竞赛", kind=Event.Kind.COMPETITION,
                 start=datetime(2030, 3, 14, 8, tzinfo=TZ), end=datetime(2030, 3, 14, 17, tzinfo=TZ))
    html = _html(client, "/events/calendar/", month="2030-03")
    phone_list = html[html.index('class="cal-list d-md-none"'):html.index('aria-label="颜色说明"')]
    assert '3月14日 <span class="w">周四</span>' in phone_list
    assert '<span class="t">08:00</span><span class="n">机器人竞赛</span><span class="k">竞赛</span>' in phone_list
    assert "3月15日" not in phone_list  # days without events are left out
    assert "暂无活动" in _html(client, "/events/calendar/", month="2030-05")


def test_event_page_shows_remaining_seats_and_waiting_list(client, sign_up):
    event = EventFactory(title="生物基材料技术对接沙龙", capacity=3)
    sign_up(event, 4)
    html = _html(client, f"/events/{event.pk}/")
    assert "生物基材料技术对接沙龙" in html
    assert "候补 1 人" in html and "报名候补" in html


def test_event_page_query_count_is_fixed(client, django_assert_num_queries):
    event = EventFactory(series="产业技术发展大会")
    client.get(f"/events/{event.pk}/")
    with django_assert_num_queries(6) as small:
        client.get(f"/events/{event.pk}/")
    for _ in range(5):
        EventOutcomeFactory(event=PastEventFactory(series="产业技术发展大会"))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(f"/events/{event.pk}/")


def test_past_event_page_shows_outcome_in_chinese_units(client):
    outcome = EventOutcomeFactory(
        event=PastEventFactory(title="2020中国（濮阳·南乐）生物基材料产业技术发展大会", kind=Event.Kind.INDUSTRY_CONFERENCE),
        participants=350, beneficiaries=200000, projects_signed=12, contract_value=Decimal("830000"),
    )
    html = _html(client, f"/events/{outcome.event.pk}/")
    assert "活动成效" in html
    assert "83亿元" in html and "20万" in html and "签约项目" in html
    assert "活动已结束" in html


def test_money_and_count_read_as_people_write_them():
    assert money_wan(Decimal("3570000")) == "357亿元"
    assert money_wan(Decimal("15000")) == "1.5亿元"
    assert money_wan(Decimal("800")) == "800万元"
    assert money_wan(Decimal("1300.50")) == "1300.5万元"
    assert count_wan(200000) == "20万" and count_wan(1234) == "1234"


def test_draft_event_is_not_public(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(f"/events/{event.pk}/").status_code == 404
    assert client.get(f"/events/{event.pk}/register/").status_code == 404
    signup = {"name": "王芳", "mobile": "13812345678", "consent": "on"}
    assert client.post(f"/events/{event.pk}/register/", signup).status_code == 404
    assert client.post(f"/events/{event.pk + 1000}/register/", signup).status_code == 404
    assert not Registration.objects.exists()


def test_sign_up_after_the_deadline_is_told_why_and_nothing_is_saved(client):
    event = EventFactory(registration_deadline=timezone.now() - timedelta(hours=1))
    response = client.post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": "13812345678", "consent": "on"})
    assert response.status_code == 200 and "报名已截止" in response.content.decode()
    assert not Registration.objects.exists()


def test_bad_mobile_gets_chinese_message_and_typed_input_is_kept(client):
    event = EventFactory()
    response = client.post(f"/events/{event.pk}/register/", {
        "name": "王芳", "mobile": "12345", "email": "wangfang@example.org", "organization": "濮阳市第一中学", "consent": "on",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入 11 位手机号码" in html
    assert 'value="王芳"' in html and 'value="濮阳市第一中学"' in html
    assert not Registration.objects.exists()


def test_signup_without_consent_is_refused_at_the_field(client):
    event = EventFactory()
    html = client.post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": mobile(1)}).content.decode()
    assert "请阅读并勾选同意后再提交" in html
    assert not Registration.objects.exists()


def test_duplicate_mobile_is_told_at_the_mobile_field(client, sign_up):
    event = EventFactory()
    sign_up(event, 1)
    html = client.post(f"/events/{event.pk}/register/", {
        "name": "报名人0", "mobile": mobile(0), "consent": "on"}).content.decode()
    assert "该手机号码已报名本活动" in html
    assert event.registrations.count() == 1


def test_confirmation_page_shows_status_qr_code_and_masked_mobile(client):
    event = EventFactory()
    response = client.post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": "13812345678", "consent": "on"})
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/registration/{registration.token}/"
    assert registration.token not in str(registration.mobile)
    html = _html(client, response["Location"])
    assert "报名成功" in html
    assert "<title>签到二维码</title>" in html and registration.check_in_code in html
    assert "138****5678" in html and "13812345678" not in html


def test_attendee_cancels_through_private_link_and_seat_frees(client, sign_up):
    event = EventFactory(capacity=1)
    mine, waiting = sign_up(event, 2)
    response = client.post(f"/events/registration/{mine.token}/cancel/", follow=True)
    assert "已为您取消报名" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_waitlisted_attendee_is_asked_about_leaving_the_waiting_list_not_giving_up_a_seat(client, sign_up):
    event = EventFactory(capacity=1)
    _mine, _second, third = sign_up(event, 3)
    html = _html(client, third.get_absolute_url())
    assert 'data-confirm="确定退出候补吗？退出后您将失去候补第 2 位的位置，如需参加须重新报名。"' in html
    assert "退出候补</button>" in html
    assert "让给候补" not in html


def test_confirmed_attendee_is_told_where_the_seat_goes(client, sign_up):
    event = EventFactory(capacity=1)
    (mine,) = sign_up(event, 1)
    assert "取消后您的名额将开放给其他人报名。" in _html(client, mine.get_absolute_url())
    sign_up(event, 1, start=1)
    assert "取消后您的名额将自动让给候补名单中的第一位。" in _html(client, mine.get_absolute_url())


def test_cancelled_sign_up_no_longer_offers_add_to_calendar(client, sign_up):
    (mine,) = sign_up(EventFactory(), 1)
    assert "添加到日历" in _html(client, mine.get_absolute_url())
    html = client.post(f"/events/registration/{mine.token}/cancel/", follow=True).content.decode()
    assert "报名已取消" in html
    assert "添加到日历" not in html
    assert "请收藏本页" not in html  # nothing left to show or cancel there


def test_unknown_token_is_not_found(client):
    assert client.get("/events/registration/not-a-real-token/").status_code == 404
    assert client.post("/events/registration/not-a-real-token/cancel/").status_code == 404


def test_home_page_block_lists_events_open_for_signup(client):
    EventFactory(title="冬季健康义诊进社区")
    EventFactory(title="不开放报名的活动", registration_open=False)
    html = _html(client, "/")
    assert "活动报名" in html and "冬季健康义诊进社区" in html
    assert "不开放报名的活动" not in html


def test_registration_page_says_when_the_organiser_cancelled(client, sign_up):
    event = EventFactory()
    (registration,) = sign_up(event, 1)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED, cancellation_reason="场地临时检修")
    html = _html(client, registration.get_absolute_url())
    assert "活动已取消" in html and "场地临时检修" in html
    assert "签到二维码" not in html  # no QR code
    assert "取消报名</button>" not in html


def test_a_bot_filling_the_hidden_field_signs_nobody_up(client):
    event = EventFactory()
    html = client.post(f"/events/{event.pk}/register/", {
        "name": "王芳", "mobile": mobile(1), "consent": "on", "website": "http://spam.example"}).content.decode()
    assert "提交未成功" in html
    assert not Registration.objects.exists()


def test_signups_past_an_addresss_hourly_share_ask_for_a_picture_code(client, settings):
    settings.PUBLIC_FORM_ADDRESS_RATE = "2/h"
    event = EventFactory()
    for i in range(2):
        client.post(f"/events/{event.pk}/register/", {"name": f"王芳{i}", "mobile": mobile(i), "consent": "on"})
    response = client.post(f"/events/{event.pk}/register/", {"name": "王芳", "mobile": mobile(9), "consent": "on"})
    assert response.status_code == 200 and "请输入图中的字符。" in response.content.decode()
    assert event.registrations.count() == 2


def test_checked_in_attendee_sees_when_they_checked_in(client, sign_up, staff_with):
    event = EventFactory(capacity=1)
    (mine,) = sign_up(event, 1)
    registrations.check_in(event_id=event.pk, code=mine.check_in_code, actor=staff_with())
    mine.refresh_from_db()
    html = _html(client, mine.get_absolute_url())
    assert "已签到，欢迎参加" in html
    assert f"签到时间：{chinese_datetime(mine.checked_in_at)}" in html
