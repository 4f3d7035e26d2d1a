"""Reads of the events app: the public list, the calendar month, an event's page, figures."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone

from .models import Event, EventOutcome, EventPhoto, Registration, ServiceAttendance

PER_PAGE = 12

# ``filters`` below is an ``events.filters.EventFilterSet``: ``filters.apply(queryset)``.


def parse_month(text: str) -> date | None:
    """``2024-05`` → 2024-05-01; None for anything else (years 2000 to 2100)."""
    try:
        year, month = (int(part) for part in (text or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as an aware [start, end) in the site's time zone."""
    tz = timezone.get_current_timezone()
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return (
        datetime(month.year, month.month, 1, tzinfo=tz),
        datetime(following.year, following.month, 1, tzinfo=tz),
    )


def _list_queryset(filters):
    return filters.apply(
        Event.objects.public().select_related("county", "organiser", "outcome").defer("description")
    )


@dataclass
class SplitPage:
    """One page of "upcoming, soonest first; then past, latest first" as two index-friendly queries."""

    number: int
    per_page: int
    upcoming_total: int
    past_total: int
    upcoming: list = field(default_factory=list)
    past: list = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-(self.upcoming_total + self.past_total) // self.per_page))

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    @property
    def paginator(self):
        return self  # the pagination include reads page_obj.paginator.num_pages


def event_list_page(filters, page: str | int | None, *, per_page: int = PER_PAGE, now=None) -> SplitPage:
    """Always three queries, whatever the data: both totals in one aggregate, then a slice of
    each part (the past slice asks for at least one row so that it is always a real query)."""
    now = now or timezone.now()
    qs = _list_queryset(filters)
    # Counting "end" (not the id) lets the (end, status) index answer without the table.
    totals = qs.aggregate(upcoming=Count("end", filter=Q(end__gte=now)), past=Count("end", filter=Q(end__lt=now)))
    result = SplitPage(1, per_page, totals["upcoming"], totals["past"])
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), result.num_pages)
    result.number = number
    offset = (number - 1) * per_page
    upcoming_offset = min(offset, result.upcoming_total)
    # Upcoming events sit at the far end of the start index. The page's ids are picked by an
    # expression the start index cannot serve, so the planner takes the few thousand
    # upcoming rows from the end index and keeps the soonest; then only those rows are joined.
    soonest = (F("start") + timedelta(0)).asc()
    page_ids = qs.upcoming(now).order_by(soonest, "id").values("pk")[upcoming_offset: upcoming_offset + per_page]
    result.upcoming = list(
        Event.objects.filter(pk__in=page_ids).select_related("county", "organiser", "outcome")
        .defer("description").order_by("start", "id")
    )
    remaining = per_page - len(result.upcoming)
    past_offset = max(offset - result.upcoming_total, 0)
    # (ended implies started: the redundant bound lets the start index begin at now)
    past = list(
        qs.past(now).filter(start__lt=now).order_by("-start", "-id")[past_offset: past_offset + max(remaining, 1)]
    )
    result.past = past[:remaining]
    return result


@dataclass(frozen=True)
class CalendarEntry:
    """What a calendar cell shows of one event, prepared once rather than looked up per cell."""

    url: str
    title: str
    time: str
    kind: str
    kind_label: str
    cancelled: bool


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)

    @property
    def shown(self) -> list:
        return self.events[:MAX_PER_DAY]

    @property
    def more(self) -> int:
        return max(len(self.events) - MAX_PER_DAY, 0)


MAX_PER_DAY = 3


def calendar_month(month: date, filters) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with the events that take place on it."""
    start, end = month_bounds(month)
    events = (
        filters.apply(Event.objects.public())
        .overlapping(start, end)
        .values_list("id", "title", "kind", "status", "start", "end")
        .order_by("start", "id")
    )
    today = timezone.localdate()
    weeks = []
    by_day: dict[date, CalendarDay] = {}
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        row = []
        for day in week:
            cell = CalendarDay(day=day, in_month=day.month == month.month, is_today=day == today)
            by_day[day] = cell
            row.append(cell)
        weeks.append(row)
    labels = {value: str(label) for value, label in Event.Kind.choices}
    detail = reverse("events:detail", args=[0])[: -len("0/")]
    last_day = (end - timedelta(days=1)).date()
    for pk, title, kind, status, event_start, event_end in events:
        local_start = timezone.localtime(event_start)
        entry = CalendarEntry(
            url=f"{detail}{pk}/", title=title, time=f"{local_start:%H:%M}", kind=kind, kind_label=labels[kind],
            cancelled=status == Event.Status.CANCELLED,
        )
        day = max(local_start.date(), month)
        last = min(timezone.localtime(event_end).date(), last_day)
        while day <= last:
            by_day[day].events.append(entry)
            day += timedelta(days=1)
    return weeks


def days_with_events(weeks: list[list[CalendarDay]]) -> list[CalendarDay]:
    """The month's days that have events, in order: the calendar as a list on a phone."""
    return [cell for week in weeks for cell in week if cell.in_month and cell.events]


def event_for_page(pk: int) -> Event:
    return (
        Event.objects.public()
        .select_related("county", "organiser", "outcome")
        .prefetch_related(
            "partners",
            "teams",
            Prefetch("photos", queryset=EventPhoto.objects.order_by("order", "id")),
        )
        .get(pk=pk)
    )


def event_for_signup(pk: int) -> Event:
    """The sign-up form needs the event's own fields only (no partners, teams or photos)."""
    return Event.objects.public().select_related("county").defer("description").get(pk=pk)


def series_events(event: Event, limit: int = 8) -> list[Event]:
    if not event.series:
        return []
    return list(
        Event.objects.public()
        .filter(series=event.series)
        .exclude(pk=event.pk)
        .select_related("outcome")
        .only("id", "title", "start", "end", "status", "outcome__projects_signed", "outcome__contract_value")
        .order_by("-start")[:limit]
    )


def series_totals(series: str) -> dict:
    if not series:
        return {}
    return EventOutcome.objects.filter(event__series=series, event__status__in=Event.PUBLIC_STATUSES).aggregate(
        events=Count("id"), projects=Sum("projects_signed"), value=Sum("contract_value"),
    )


def taking_signups(now=None):
    """Upcoming published events whose sign-up is open now."""
    now = now or timezone.now()
    return Event.objects.filter(status=Event.Status.PUBLISHED, registration_open=True, start__gt=now).filter(
        Q(registration_deadline__isnull=True) | Q(registration_deadline__gt=now))


def open_for_signup(limit: int = 5, now=None) -> list[Event]:
    """Upcoming published events that take sign-ups, soonest first (the home page block)."""
    return list(
        taking_signups(now)
        .select_related("county")
        .defer("description")
        .order_by("start", "id")[:limit]
    )


def registration_for_token(token: str) -> Registration:
    return Registration.objects.select_related("event", "event__county").get(token=token)


def headline(year: int) -> dict:
    """Events held this year and their beneficiaries, aggregated in the database."""
    tz = timezone.get_current_timezone()
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    held = Event.objects.filter(start__gte=start, start__lt=end).filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.FINISHED]
    )
    figures = held.aggregate(events=Count("id"), beneficiaries=Sum("outcome__beneficiaries"))
    return {"events": figures["events"] or 0, "beneficiaries": figures["beneficiaries"] or 0}


def open_data_events(year: int):
    """开放数据: the year's published and finished events with what came of them, in date
    order (one query). Counts only: nothing of any person; drafts and cancelled events stay
    out."""
    tz = timezone.get_current_timezone()
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    return (
        Event.objects.filter(start__gte=start, start__lt=end, status__in=[Event.Status.PUBLISHED, Event.Status.FINISHED])
        .select_related("organiser", "county", "outcome")
        .order_by("start", "id")
    )


def registrations_of_volunteer(volunteer, now=None) -> dict:
    """A volunteer's own sign-ups for their page: those made while logged in as them, and
    those made with their mobile (matched by its look-up hash, nothing decrypted but their
    own mobile). Upcoming and past apart, past ones with the hours recorded for the event.
    Two queries."""
    from django.contrib.contenttypes.models import ContentType

    from volunteers.models import ServiceRecord

    from .services.registrations import mobile_hash

    now = now or timezone.now()
    mine = Q(user_id=volunteer.user_id) if volunteer.user_id else Q(pk__in=[])
    if volunteer.mobile:
        mine |= Q(mobile_hash=mobile_hash(volunteer.mobile))
    rows = list(
        Registration.objects.filter(mine, status__in=Registration.ACTIVE, event__status__in=Event.PUBLIC_STATUSES)
        .select_related("event")
        .only("id", "token", "status", "check_in_code", "event__id", "event__title", "event__start", "event__end",
              "event__venue", "event__status")
        .order_by("event__start", "id")
    )
    upcoming = [r for r in rows if r.event.end >= now]
    past = [r for r in rows if r.event.end < now]
    past.reverse()
    if past:
        hours = dict(
            ServiceRecord.objects.filter(
                volunteer=volunteer, activity_type=ContentType.objects.get_for_model(Event),
                activity_id__in=[r.event_id for r in past],
            ).exclude(status=ServiceRecord.Status.REJECTED)
            .values_list("activity_id").annotate(total=Sum("hours")).order_by()
        )
        for r in past:
            r.recorded_hours = hours.get(r.event_id)
    return {"upcoming": upcoming, "past": past}


def attendances_of_event(event, limit: int = 50):
    """Who checked in at a service activity, latest first (names masked on the page)."""

    return (ServiceAttendance.objects.filter(event=event).select_related("volunteer", "team", "record")
            .only("id", "checked_in_at", "checked_out_at", "volunteer__id", "volunteer__name", "team__id",
                  "team__name", "record__id", "record__hours")
            .order_by("-checked_in_at")[:limit])


def attendance_of(event, volunteer):

    return ServiceAttendance.objects.select_related("record").filter(event=event, volunteer=volunteer).first()


def attendance_section(volunteer, now=None) -> dict:
    """A volunteer's check-ins still open and their latest ones, and for a team leader the
    service activities of their teams open for check-in now or soon: at most three queries."""
    from volunteers.models import Membership

    from .services.attendance import CHECK_IN_OPENS_BEFORE, CHECK_OUT_CLOSES_AFTER

    now = now or timezone.now()
    recent = list(ServiceAttendance.objects.filter(volunteer=volunteer).select_related("event", "record")
                  .only("id", "checked_in_at", "checked_out_at", "event__id", "event__title", "event__end",
                        "record__id", "record__hours", "record__status")
                  .order_by("-checked_in_at")[:5])
    led = list(Membership.objects.filter(volunteer=volunteer, role__in=Membership.LEADER_ROLES)
               .values_list("team_id", flat=True))
    leading = []
    if led:
        leading = list(
            Event.objects.filter(Q(teams__in=led) | Q(teams__parent_id__in=led),
                                 status__in=(Event.Status.PUBLISHED, Event.Status.FINISHED),
                                 end__gte=now - CHECK_OUT_CLOSES_AFTER,
                                 start__lte=now + timedelta(days=7) + CHECK_IN_OPENS_BEFORE)
            .distinct().only("id", "title", "start", "end").order_by("start")[:5]
        )
    for a in recent:
        # Not checked out and too late to: the hours can still be asked for (补录).
        a.missed_check_out = a.checked_out_at is None and now > a.event.end + CHECK_OUT_CLOSES_AFTER
    return {"recent": recent, "leading": leading}
