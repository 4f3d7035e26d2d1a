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


DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (for 第N届); larger numbers stay in figures."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else DIGITS[tens]) + "十" if tens else ""
    return text + (DIGITS[ones] if ones else "")
