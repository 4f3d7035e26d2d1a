"""Formatting for event pages: money in 万元/亿元, large counts in 万, time spans in Chinese
(built on ``association.formatting``; plain dates are its ``|chinese_date`` and ``|chinese_datetime``)."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from association.formatting import chinese_date, chinese_month, chinese_month_day
from events.models import Event

Kind = Event.Kind
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

# One colour for each group of kinds. The calendar's marks, its legend and the cover
# placeholders all take their class from here; events.css gives each class its colour
# (the colour's name below must match it).
KIND_COLOURS = (
    ("meeting", "红色", "学术与产业会议", (Kind.ACADEMIC, Kind.INDUSTRY_CONFERENCE)),
    ("popsci", "绿色", "科普活动", (Kind.POPSCI_DAY, Kind.SCIENCE_WEEK, Kind.SCIENCE_VAN)),
    ("service", "橙色", "义诊、竞赛与汇演", (Kind.HEALTH_CLINIC, Kind.COMPETITION, Kind.PERFORMANCE)),
    ("work", "蓝色", "座谈、调研与培训", (Kind.SEMINAR, Kind.SURVEY, Kind.TRAINING)),
)
COLOUR_OF_KIND = {kind: key for key, _name, _label, kinds in KIND_COLOURS for kind in kinds}


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


@register.filter
def kind_colour(kind: str) -> str:
    """The colour class (``c-meeting`` …) of an event kind."""
    return f"c-{COLOUR_OF_KIND.get(kind, 'work')}"


@register.simple_tag
def kind_legend() -> list[dict]:
    """Every colour the calendar uses, with the kinds it marks."""
    return [
        {"css": f"c-{key}", "colour": name, "label": label, "kinds": "、".join(str(k.label) for k in kinds)}
        for key, name, label, kinds in KIND_COLOURS
    ]


def _day(value) -> str:
    return f"{chinese_date(value)}（星期{WEEKDAYS[value.weekday()]}）"


@register.filter
def event_period(event) -> str:
    """2020年9月18日（星期五）09:00–12:00, or …至 9月20日 17:00 across days."""
    return _period(event.start, event.end, timezone.get_current_timezone_name())


@lru_cache(maxsize=512)  # a notice to everyone signed up says the same period ten thousand times
def _period(start, end, _zone) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{_day(start)} {start:%H:%M}–{end:%H:%M}"
    same_year = start.year == end.year
    end_day = chinese_month_day(end) if same_year else chinese_date(end)
    return f"{_day(start)} {start:%H:%M} 至 {end_day} {end:%H:%M}"


@register.filter
def weekday_short(value) -> str:
    """一 … 日: the weekday as a calendar heads its column."""
    return WEEKDAYS[value.weekday()]


@register.simple_tag
def query_with(filters, **extra) -> str:
    return filters.query(**extra)


# The pieces repeated on every card of a list: written in Python (format_html) because an
# {% include %} per card costs more than the rest of the card.

@register.simple_tag
def date_block(event, past=False):
    start = timezone.localtime(event.start)
    return format_html(
        '<div class="date-block{}" aria-hidden="true"><div class="ym">{}</div><div class="d">{}</div>'
        '<div class="w">星期{}</div></div>',
        " past" if past else "", chinese_month(start), start.day, WEEKDAYS[start.weekday()],
    )


SEAT_BADGE_CSS = {
    "open": "text-bg-success", "waiting_list": "text-bg-warning", "cancelled": "text-bg-secondary",
    "full": "text-bg-light border", "closed": "text-bg-light border",
}


@register.simple_tag
def seat_badge(event):
    """The sign-up's state in the page's words (``Event.signup_state``, which the API
    answers too); nothing for events that take no sign-ups or have ended."""
    code, text = event.signup_state()
    if code not in SEAT_BADGE_CSS:
        return ""
    return format_html('<span class="badge {} seat-badge">{}</span>', SEAT_BADGE_CSS[code], text)


@register.simple_tag
def outcome_chips(event):
    outcome = event.outcome if _has_outcome(event) else None
    if outcome is None:
        return ""
    chips = []
    if outcome.activities_held > 1:
        chips.append(f"开展活动 {outcome.activities_held} 场")
    if outcome.participants:
        chips.append(f"参与 {count_wan(outcome.participants)} 人")
    if outcome.beneficiaries:
        chips.append(f"受益 {count_wan(outcome.beneficiaries)} 人次")
    if outcome.projects_signed:
        chips.append(f"签约项目 {outcome.projects_signed} 个")
    if outcome.contract_value:
        chips.append(f"协议资金 {money_wan(outcome.contract_value)}")
    if outcome.technologies_promoted:
        chips.append(f"推广新技术 {outcome.technologies_promoted} 项")
    if not chips:
        return ""
    return format_html('<div class="outcome-chips">{}</div>', format_html_join("", "<span>{}</span>", ((c,) for c in chips)))


def _has_outcome(event) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return event.outcome is not None
    except ObjectDoesNotExist:
        return False
