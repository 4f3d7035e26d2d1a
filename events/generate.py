"""Synthetic events and sign-ups for benchmarks: deterministic, bulk-inserted.

At ``large``: 20,000 events (ten years back, one ahead) and 500,000 sign-ups, written with
PostgreSQL's COPY; the events' seat counters are then set by one aggregate UPDATE. Running
it again at the same scale changes nothing; at another scale it replaces the synthetic rows.
"""

import csv
import io
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from association import extensions, scoping
from association.crypto import encrypt
from association.models import County, Organization

from .models import Event, EventOutcome, Registration
from .services.registrations import CODE_ALPHABET, mobile_hash

PREFIX = "合成·"
SIZES = {"small": (500, 10_000), "medium": (5_000, 100_000), "large": (20_000, 500_000)}
KIND_WEIGHTS = {
    Event.Kind.POPSCI_DAY: 6, Event.Kind.SCIENCE_WEEK: 4, Event.Kind.SEMINAR: 12, Event.Kind.ACADEMIC: 8,
    Event.Kind.INDUSTRY_CONFERENCE: 2, Event.Kind.SURVEY: 10, Event.Kind.TRAINING: 25, Event.Kind.SCIENCE_VAN: 12,
    Event.Kind.HEALTH_CLINIC: 10, Event.Kind.COMPETITION: 5, Event.Kind.PERFORMANCE: 6,
}
TOPICS = ["设施蔬菜栽培", "食品安全", "应急避险", "心理健康", "人工智能", "新材料", "气象防灾", "反邪教宣传",
          "节能减排", "中医养生", "青少年编程", "农村电商", "黄河生态", "石化安全生产", "生物基材料"]
COLUMNS = ["event_id", "name", "mobile", "mobile_hash", "email", "organization", "status", "token", "check_in_code",
           "created", "confirmed_at", "checked_in_at", "cancelled_at", "notified_status"]
S = Registration.Status
NULL = "\\N"  # COPY's marker for a missing timestamp; empty text stays an empty string


def _delete_synthetic() -> None:
    with connection.cursor() as cur:
        ids = "SELECT id FROM events_event WHERE title LIKE %s"
        like = PREFIX + "%"
        for table in ("events_registration", "events_eventoutcome", "events_eventphoto", "events_rosterexport",
                      "events_event_partners", "events_event_teams"):
            cur.execute(f"DELETE FROM {table} WHERE event_id IN ({ids})", [like])
        cur.execute("DELETE FROM events_event WHERE title LIKE %s", [like])


# Who organises the events, by kind of unit: the city association and its departments about a
# third, the county 科协 and the units below them (townships, 农技协, e-stations, community
# halls) another third, the 学会 a sixth, the enterprise, park and university 科协 the rest.
# A kind's share is split among its units, a named unit of the directory counting three
# synthetic ones; a kind the tree does not hold gives its share to the others.
ORGANISER_SHARES = {
    Organization.Kind.ASSOCIATION: 20, Organization.Kind.DEPARTMENT: 8, Organization.Kind.INSTITUTION: 6,
    Organization.Kind.COUNTY_ASSOCIATION: 22, Organization.Kind.TOWNSHIP_ASSOCIATION: 5,
    Organization.Kind.RURAL_TECHNICAL_ASSOCIATION: 4, Organization.Kind.E_STATION: 2,
    Organization.Kind.COMMUNITY_HALL: 2, Organization.Kind.RURAL_POPSCI_BASE: 1, Organization.Kind.POPSCI_BASE: 1,
    Organization.Kind.SOCIETY: 16, Organization.Kind.ENTERPRISE_ASSOCIATION: 6, Organization.Kind.PARK_ASSOCIATION: 3,
    Organization.Kind.UNIVERSITY_ASSOCIATION: 3, Organization.Kind.OTHER: 1,
}
NAMED_WEIGHT = 3
# The city's own units hold their events anywhere in the city; the others mostly at home.
CITY_WIDE = (Organization.Kind.ASSOCIATION, Organization.Kind.DEPARTMENT, Organization.Kind.INSTITUTION)


def _organisers() -> tuple[list[tuple[int, int | None]], list[float]]:
    """Every unit of the tree under the city association (every organisation if there is
    none) as (id, the county of its events or None), with cumulative weights for
    ``rng.choices``."""
    rows = Organization.objects.order_by("id").values_list("id", "kind", "county_id", "name")
    city = scoping.city_unit_id()
    if city is not None:
        tree = scoping.subtree_ids(city)
        rows = [row for row in rows if row[0] in tree]
    rows = [row for row in rows if row[1] in ORGANISER_SHARES] or list(rows)
    if not rows:
        return [], []
    weight_of = {row[0]: 1 if row[3].startswith("合成") else NAMED_WEIGHT for row in rows}
    per_kind = {}
    for org_id, kind, _county, _name in rows:
        per_kind[kind] = per_kind.get(kind, 0) + weight_of[org_id]
    organisers, cumulative, total = [], [], 0.0
    for org_id, kind, county_id, _name in rows:
        total += ORGANISER_SHARES.get(kind, 1) * weight_of[org_id] / per_kind[kind]
        organisers.append((org_id, None if kind in CITY_WIDE else county_id))
        cumulative.append(total)
    return organisers, cumulative


def _events(rng: random.Random, n: int, now: datetime) -> list[Event]:
    counties = list(County.objects.all()) or [None]
    county_by_id = {c.pk: c for c in counties if c is not None}
    organisers, cumulative = _organisers()
    chosen = rng.choices(organisers, cum_weights=cumulative, k=n)
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    tz = timezone.get_current_timezone()
    first = datetime(now.year - 10, 1, 1, tzinfo=tz)
    span_days = (now - first).days + 365
    events = []
    for i in range(n):
        kind = rng.choices(kinds, weights)[0]
        organiser_id, organiser_county = chosen[i]
        # A county's units hold their events at home, mostly; the city's own anywhere.
        county = county_by_id.get(organiser_county) if rng.random() < .9 else None
        county = county or rng.choice(counties)
        day = first + timedelta(days=rng.randrange(span_days))
        start = day.replace(hour=rng.choice((8, 9, 9, 10, 14, 15, 19)), minute=rng.choice((0, 0, 30)))
        end = start + timedelta(hours=rng.choice((2, 3, 3, 4, 8)))
        if kind in (Event.Kind.INDUSTRY_CONFERENCE, Event.Kind.SCIENCE_WEEK, Event.Kind.POPSCI_DAY) and rng.random() < .5:
            end += timedelta(days=rng.choice((1, 2, 6)))
        past = end < now
        if past:
            status = Event.Status.CANCELLED if rng.random() < .03 else Event.Status.FINISHED
        else:
            status = Event.Status.DRAFT if rng.random() < .05 else Event.Status.PUBLISHED
        registration_open = rng.random() < .6
        capacity = rng.choice((30, 50, 80, 100, 150, 200, 300, None)) if registration_open else None
        label = Event.Kind(kind).label
        topic = rng.choice(TOPICS)
        events.append(Event(
            title=f"{PREFIX}{county.name if county else ''}{topic}{label}（第{i + 1}期）",
            kind=kind, summary=f"{topic}主题{label}，面向{rng.choice(['社区居民', '农民群众', '中小学生', '科技工作者', '企业职工'])}。",
            description=f"本期{label}围绕{topic}展开。\n欢迎报名参加。",
            organiser_id=organiser_id, county=county, start=start, end=end,
            venue=f"{county.name if county else '濮阳'}{rng.choice(['科技馆', '会议中心', '文化广场', '社区科普馆', '职业技术学院'])}",
            status=status, published_at=start - timedelta(days=14) if status != Event.Status.DRAFT else None,
            registration_open=registration_open, capacity=capacity, waiting_list=rng.random() < .7,
            needs_approval=rng.random() < .1, registration_deadline=start - timedelta(hours=12) if registration_open else None,
        ))
    return events


def _outcomes(rng: random.Random, events: list[Event]) -> list[EventOutcome]:
    outcomes = []
    for event in events:
        if event.status != Event.Status.FINISHED:
            continue
        participants = rng.randrange(20, 800)
        industry = event.kind == Event.Kind.INDUSTRY_CONFERENCE
        outcomes.append(EventOutcome(
            event_id=event.pk,
            activities_held=rng.randrange(10, 300) if event.kind == Event.Kind.POPSCI_DAY else 1,
            participants=participants,
            beneficiaries=participants * rng.randrange(1, 20),
            materials_distributed=rng.randrange(0, 3000),
            projects_signed=rng.randrange(3, 20) if industry else 0,
            contract_value=Decimal(rng.randrange(5_000, 900_000)) if industry else Decimal("0"),
            technologies_promoted=rng.randrange(0, 30) if event.kind in (Event.Kind.TRAINING, Event.Kind.ACADEMIC) else 0,
        ))
    return outcomes


def _code(index: int, bits: int) -> str:
    """Unique within an event by construction: the index in base 31, then four random letters."""
    chars = []
    for value in (index, bits):
        for _ in range(4):
            value, rest = divmod(value, 31)
            chars.append(CODE_ALPHABET[rest])
    return "".join(chars)


def _people(rng: random.Random, size: int) -> list[tuple[str, str, str]]:
    """A pool of (name, encrypted mobile, mobile hash): the same people sign up for many
    events, as in life, and the costly encryption is done once per person."""
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯"
    people = []
    for i in range(size):
        mobile = f"1{'3578'[i % 4]}{(i * 7919 + 12345) % 1_000_000_000:09d}"
        name = rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if rng.random() < .6 else "")
        people.append((name, encrypt(mobile), mobile_hash(mobile)))
    return people


def _registrations(rng: random.Random, events: list[Event], total: int, now: datetime):
    """Rows for COPY, keeping every event's seats within its capacity."""
    open_events = [e for e in events if e.registration_open and e.status != Event.Status.DRAFT]
    weights = [(e.capacity or 150) for e in open_events]
    allotted = [0] * len(open_events)
    for index in rng.choices(range(len(open_events)), weights, k=total):
        allotted[index] += 1
    people = _people(rng, min(total, max(20_000, total // 10)))
    organizations = ["", "", "濮阳市第一中学", "华龙区胜利路街道", "濮阳职业技术学院"]
    for event, n in zip(open_events, allotted, strict=True):
        past = event.end < now
        seats = 0
        first_person = rng.randrange(len(people))  # consecutive people: distinct within the event
        base = event.start - timedelta(days=14)
        for i in range(n):
            if rng.random() < .05:
                status = S.CANCELLED
            elif event.needs_approval and not past and rng.random() < .5:
                status = S.PENDING
            elif event.capacity is None or seats < event.capacity:
                seats += 1
                status = S.CHECKED_IN if past and rng.random() < .8 else S.CONFIRMED
            else:
                status = S.WAITLISTED if event.waiting_list and not past else S.CANCELLED
            created = (base + timedelta(seconds=i * 37)).isoformat()
            name, encrypted, digest = people[(first_person + i) % len(people)]
            yield [
                event.pk, name, encrypted, digest, "", organizations[i % 5], status,
                f"g{event.pk:x}x{i:x}x{rng.getrandbits(128):032x}", _code(i, rng.getrandbits(24)), created,
                created if status in (S.CONFIRMED, S.CHECKED_IN) else NULL,
                event.start.isoformat() if status == S.CHECKED_IN else NULL,
                created if status == S.CANCELLED else NULL, "",
            ]


def _copy(rows, batch: int = 50_000) -> int:
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    sql = f"COPY events_registration ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cur:
        raw = cur.cursor  # psycopg2's own cursor, for copy_expert
        for row in rows:
            writer.writerow(row)
            count += 1
            if count % batch == 0:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
    return count


def _recount_all() -> None:
    with connection.cursor() as cur:
        cur.execute("""
            UPDATE events_event e SET
                seats_taken = s.holding, waitlisted_count = s.waiting, pending_count = s.pending, checked_in_count = s.checked
            FROM (
                SELECT event_id,
                       count(*) FILTER (WHERE status IN ('confirmed', 'checked_in')) AS holding,
                       count(*) FILTER (WHERE status = 'waitlisted') AS waiting,
                       count(*) FILTER (WHERE status = 'pending') AS pending,
                       count(*) FILTER (WHERE status = 'checked_in') AS checked
                FROM events_registration GROUP BY event_id
            ) s
            WHERE e.id = s.event_id AND e.title LIKE %s
        """, [PREFIX + "%"])


@extensions.data_generator(order=40)
def generate_events(scale: str, stdout) -> None:
    n_events, n_registrations = SIZES[scale]
    existing = Event.objects.filter(title__startswith=PREFIX).count()
    if existing == n_events and Registration.objects.filter(event__title__startswith=PREFIX).count() == n_registrations:
        stdout.write(f"  活动：已有合成活动 {n_events} 项、报名 {n_registrations} 条")
        return
    rng = random.Random(f"events:{scale}")
    # A fixed "now" keeps the data the same whenever it is generated on the same day.
    now = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        _delete_synthetic()
        events = Event.objects.bulk_create(_events(rng, n_events, now), batch_size=2000)
        EventOutcome.objects.bulk_create(_outcomes(rng, events), batch_size=5000)
        written = _copy(_registrations(rng, events, n_registrations, now))
        _recount_all()
    if not connection.in_atomic_block:
        # What autovacuum would do soon after such a load: statistics, and the visibility
        # map that lets the list page count from the index alone.
        with connection.cursor() as cur:
            for table in ("events_event", "events_eventoutcome", "events_registration"):
                cur.execute(f"VACUUM (ANALYZE) {table}")
    stdout.write(f"  活动：合成活动 {len(events)} 项，报名 {written} 条")
