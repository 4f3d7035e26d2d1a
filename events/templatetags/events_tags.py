"""Formatting for event pages: money in 万元/亿元, large counts in 万, time spans in Chinese."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

register = template.Library()

WEEKDAYS = "一二三四五六日"

KIND_ICONS = {
    "popsci_day": "stars",
    "science_week": "calendar-week",
    "seminar": "people",
    "academic": "mortarboard",
    "industry": "buildings",
    "survey": "search",
    "training": "easel",
    "science_van": "truck",
    "clinic": "heart-pulse",
    "competition": "trophy",
    "performance": "music-note-beamed",
}


def _plain(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = format(value.quantize(quantum, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def money_wan(value) -> str:
    """A sum held in 万元, as people write it: 3570000 → "357亿元", 800 → "800万元"."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if abs(value) >= 10000:
        return f"{_plain(value / 10000)}亿元"
    return f"{_plain(value)}万元"


@register.filter
def count_wan(value) -> str:
    """200000 → "20万", 1234 → "1234"."""
    if value in (None, ""):
        return ""
    value = int(value)
    if value >= 10000:
        return f"{_plain(Decimal(value) / 10000)}万"
    return str(value)


@register.filter
def kind_icon(kind: str) -> str:
    return KIND_ICONS.get(kind, "calendar-event")


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日（星期{WEEKDAYS[value.weekday()]}）"


@register.filter
def event_period(event) -> str:
    """2020年9月18日（星期五）09:00–12:00, or …至 9月20日 17:00 across days."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return f"{_day(start)} {start:%H:%M}–{end:%H:%M}"
    same_year = start.year == end.year
    end_day = f"{end.month}月{end.day}日" if same_year else f"{end.year}年{end.month}月{end.day}日"
    return f"{_day(start)} {start:%H:%M} 至 {end_day} {end:%H:%M}"


@register.filter
def cn_date(value) -> str:
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value) -> str:
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.simple_tag
def query_with(filters, **extra) -> str:
    return filters.query(**extra)
