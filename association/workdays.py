"""工作日: China's official working days, 调休 included, from the State Council's yearly
notice on public holidays (国务院办公厅关于节假日安排的通知), as kept by the
``chinesecalendar`` library.

A period of N working days (公示期为N个工作日) starts on its first day when that is a
working day, and on the next working day otherwise; it ends on the N-th working day.

The library knows only the years whose notice had been published when it was released
(the State Council publishes the next year's in November or December). For a year it does
not know, nothing here guesses: ``UnknownYear`` is raised, and the caller asks a person
for the date (a weekend-only count would be wrong around every Spring Festival).
"""

import datetime

import chinese_calendar

# A period of working days never spans more than this many calendar days (the longest
# holiday is 8 or 9 days): a guard against a loop, not a rule.
MAX_SPAN_DAYS = 400


class UnknownYear(Exception):
    """The holiday notice of ``year`` is not known to this installation."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"no holiday calendar for {year}")


def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise UnknownYear(day.year) from None


def knows_year(year: int) -> bool:
    try:
        is_working_day(datetime.date(year, 1, 1))
    except UnknownYear:
        return False
    return True


def nth_working_day(start: datetime.date, n: int) -> datetime.date:
    """The last day of a period of ``n`` working days from ``start`` (counted if a working day)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = start, 0
    for _ in range(MAX_SPAN_DAYS):
        if is_working_day(day):
            counted += 1
            if counted == n:
                return day
        day += datetime.timedelta(days=1)
    raise ValueError(f"no {n} working days within {MAX_SPAN_DAYS} days of {start}")


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days from ``start`` to ``end``, both included."""
    return sum(1 for i in range((end - start).days + 1) if is_working_day(start + datetime.timedelta(days=i)))


def weekdays_between(start: datetime.date, end: datetime.date) -> int:
    """Mondays to Fridays from ``start`` to ``end``, both included (no holiday calendar needed)."""
    return sum(1 for i in range((end - start).days + 1) if (start + datetime.timedelta(days=i)).weekday() < 5)


def nth_weekday(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th Monday-to-Friday from ``start`` (counted if one): no holiday calendar needed."""
    day, counted = start, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == n:
                return day
        day += datetime.timedelta(days=1)
