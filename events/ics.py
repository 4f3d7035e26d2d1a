"""iCalendar feeds (RFC 5545) of events, with times in Asia/Shanghai and its VTIMEZONE."""

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def build(events, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//科协门户//活动日历//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    host = _host()
    stamp = timezone.now()
    for event in events:
        item = VEvent()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.start.astimezone(SHANGHAI))
        item.add("dtend", event.end.astimezone(SHANGHAI))
        item.add("summary", event.title)
        item.add("location", event.venue)
        item.add("categories", [event.get_kind_display()])
        item.add("url", settings.SITE_URL + event.get_absolute_url())
        description = event.summary or ""
        if event.organiser_id:
            description = f"主办：{event.organiser.name}\n{description}".strip()
        item.add("description", description)
        item.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
        item.add("last-modified", event.updated)
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
