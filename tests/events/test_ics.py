"""iCalendar feeds parse with the icalendar library and keep Asia/Shanghai times."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events.models import Event
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_event_file_parses_with_shanghai_times(client):
    event = EventFactory(
        title="2030年濮阳市全国科普日活动启动仪式",
        start=datetime(2030, 9, 18, 9, 30, tzinfo=SHANGHAI),
        end=datetime(2030, 9, 18, 12, 0, tzinfo=SHANGHAI),
        venue="开发区实验学校",
    )
    calendar = _parse(client.get(f"/events/{event.pk}/calendar.ics"))
    (item,) = calendar.walk("VEVENT")
    start, end = item.decoded("dtstart"), item.decoded("dtend")
    assert start == datetime(2030, 9, 18, 9, 30, tzinfo=SHANGHAI)
    assert start.utcoffset().total_seconds() == 8 * 3600
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert end.hour == 12 and end.tzinfo is not None
    assert str(item["summary"]) == "2030年濮阳市全国科普日活动启动仪式"
    assert str(item["location"]) == "开发区实验学校"
    assert str(item["uid"]).startswith(f"event-{event.pk}@")
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"


def test_feed_lists_public_events_and_marks_cancelled_ones(client):
    EventFactory(title="冬季健康义诊进社区")
    EventFactory(title="已取消的讲座", status=Event.Status.CANCELLED)
    EventFactory(title="草稿活动", status=Event.Status.DRAFT)
    calendar = _parse(client.get("/events/calendar.ics"))
    items = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(items) == {"冬季健康义诊进社区", "已取消的讲座"}
    assert str(items["已取消的讲座"]["status"]) == "CANCELLED"
    assert str(items["冬季健康义诊进社区"]["status"]) == "CONFIRMED"
    assert str(calendar["x-wr-calname"]).endswith("活动日历")


def test_feed_follows_kind_filter(client):
    EventFactory(title="机器人竞赛", kind=Event.Kind.COMPETITION)
    EventFactory(title="科普讲座", kind=Event.Kind.TRAINING)
    calendar = _parse(client.get("/events/calendar.ics", {"kind": "competition"}))
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["机器人竞赛"]
