"""Formatting for people, one way for every app: dates as Django's zh-hans formats write
them (``2020年9月18日``, ``2020年9月18日 09:30``), numbers with separators, Chinese
numerals (第二十三届), cells of reports. Templates use the same through
``{% load formatting %}`` (``|chinese_date``, ``|chinese_datetime``)."""

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from math import floor, log10

from django.conf import settings
from django.utils import dateformat, formats, timezone

DIGITS = "零一二三四五六七八九"


def _local(value):
    return timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value


# The few format characters the zh-hans date formats use, as plain attribute reads: a list
# page formats a hundred dates, and Django's general formatter costs ten times as much.
_FIELDS = {
    "Y": lambda v: str(v.year), "n": lambda v: str(v.month), "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}", "d": lambda v: f"{v.day:02d}",
    "G": lambda v: str(v.hour), "H": lambda v: f"{v.hour:02d}", "i": lambda v: f"{v.minute:02d}",
}


@lru_cache(maxsize=16)
def _formatter(pattern: str):
    if any(ch.isascii() and ch.isalpha() and ch not in _FIELDS for ch in pattern) or "\\" in pattern:
        return lambda value: dateformat.format(value, pattern)
    parts = [_FIELDS.get(ch, ch) for ch in pattern]
    return lambda value: "".join(part(value) if callable(part) else part for part in parts)


@lru_cache(maxsize=8)
def _pattern(name: str) -> str:
    # The portal's language whatever is active (a management command turns translation off).
    return formats.get_format(name, lang=settings.LANGUAGE_CODE)


def _format(value, name: str) -> str:
    return _formatter(_pattern(name))(_local(value))


def chinese_date(value: date | datetime | None) -> str:
    """``2020年9月18日``; datetimes are shown in local time."""
    return "" if value is None else _format(value, "DATE_FORMAT")


def chinese_datetime(value: datetime | None) -> str:
    """``2020年9月18日 09:30`` in local time."""
    return "" if value is None else _format(value, "DATETIME_FORMAT")


def chinese_month(value: date | datetime | None) -> str:
    """``2020年9月``."""
    return "" if value is None else _format(value, "YEAR_MONTH_FORMAT")


def chinese_month_day(value: date | datetime | None) -> str:
    """``9月18日``, for a date whose year is plain from the context (zh-hans's own month-day
    format pads the month: 09月)."""
    return "" if value is None else _formatter("n月j日")(_local(value))


def chinese_year(value: date | datetime | None) -> str:
    """``2020年``."""
    return "" if value is None else f"{_local(value).year}年"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (section numbering, 第N届, up to 99; larger
    numbers stay in figures)."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def format_number(value) -> str:
    """Thousands separators; at most two decimals, none when the value is whole."""
    if not is_number(value):
        return "" if value is None else str(value)
    if isinstance(value, int) or value == int(value):
        return f"{int(value):,}"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def format_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return chinese_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return format_number(value) if is_number(value) else str(value)


def display_width(text: str) -> int:
    """Width in Latin characters: a CJK character counts twice."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def nice_axis(value: float) -> tuple[float, float, int]:
    """(end, step, ticks) of an axis that reads well (0, 250, 500, 750, 1,000) and hugs the
    data; whole steps once the data reaches 1 (never 2.5 people)."""
    if value <= 0:
        return 4, 1, 4
    candidates = []
    for ticks in (4, 5, 3, 6):
        exponent = 10 ** floor(log10(value / ticks))
        for factor in (1, 2, 2.5, 5, 10):
            step = factor * exponent
            if value >= 1 and step != int(step):
                continue
            if step * ticks >= value:
                candidates.append((step * ticks, step, ticks))
                break
    return min(candidates, key=lambda c: c[0])
