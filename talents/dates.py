"""Dates written the Chinese way, for messages built outside templates."""

import datetime


def cn_date(value: datetime.date | None) -> str:
    """2020年9月18日"""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Full years (周岁) on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
