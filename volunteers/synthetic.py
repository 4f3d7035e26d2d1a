"""Synthetic data for benchmarks: ``generate_data --scale small|medium|large``.

At ``large``: 100,000 volunteers and 1,000,000 service records, written with PostgreSQL
COPY in batches (the ORM would take many minutes). Deterministic: the same scale always
gives the same people, teams and hours. Every identity is synthetic (see idcard.synthetic_identity).

The teams are spread over the tree of units (the city association, county 科协, 学会, and the
township and enterprise 科协 below the counties), and each volunteer's managing unit follows
the one rule (``services.units``) from the team they join: a county's or a 学会's scoped
lists hold a realistic share of the whole.
"""

import io
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from association import extensions
from association.choices import TitleLevel
from association.crypto import encrypt
from association.models import County, Organization

from .idcard import synthetic_identity, synthetic_mobile
from .models import ServiceOrder, ServiceProject, ServiceTeam, Volunteer
from .models.people import id_number_hash, mobile_hash
from .services.units import COUNTY_KINDS, UnitRule

SCALES = {
    # volunteers, records, corps, teams per corps, groups per team, projects, orders
    "small": (1_000, 10_000, 2, 6, 2, 30, 200),
    "medium": (10_000, 100_000, 3, 10, 3, 100, 2_000),
    "large": (100_000, 1_000_000, 5, 12, 3, 300, 20_000),
}
EMAIL_DOMAIN = "synthetic.invalid"
BENCH_USERNAME = "bench-volunteer"
BENCH_RECORDS = 500
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "建国志强晓明海燕红梅立新文华永刚春雨秋菊玉兰振华卫东光辉雪松丽娟国庆世杰宏伟桂芳子涵思远晨曦嘉怡浩然"
FIELDS = ["化工", "新材料", "生物基材料", "农业", "畜牧", "食品", "医学", "教育", "信息技术", "环境保护", "气象", "机械"]
L = TitleLevel
TITLES = [("教授级高级工程师", L.SENIOR), ("高级工程师", L.ASSOCIATE), ("工程师", L.INTERMEDIATE), ("助理工程师", L.JUNIOR),
          ("主任医师", L.SENIOR), ("高级农艺师", L.ASSOCIATE), ("高级教师", L.ASSOCIATE), ("", L.NONE)]
POLITICAL = [v for v, _l in Volunteer.PoliticalStatus.choices]
EDUCATION = [v for v, _l in Volunteer.Education.choices]
ACTIVITY_TITLES = ["科普进社区宣讲", "健康义诊", "青少年科学实验课", "农业技术田间指导", "科普大篷车进校园", "企业技术咨询",
                   "全国科普日主题活动", "科技活动周展览讲解", "反邪教科普宣传", "应急避险知识讲座"]


def _copy(table: str, columns: list[str], rows) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in row))
        buf.write("\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)


def _team_owners():
    """Who keeps the n-th synthetic team: in turn the city association, a county 科协, a 学会,
    and a township or enterprise 科协 below a county, each kind in its units' name order."""
    K = Organization.Kind
    city = Organization.objects.filter(kind=K.ASSOCIATION, parent__isnull=True).order_by("order", "id").first()
    kinds = [COUNTY_KINDS, [K.SOCIETY], [K.TOWNSHIP_ASSOCIATION, K.ENTERPRISE_ASSOCIATION]]
    pools = [[city.pk] if city else []] + [
        list(Organization.objects.filter(kind__in=k).order_by("name", "id").values_list("pk", flat=True)) for k in kinds
    ]

    def owner(n: int) -> int | None:
        pool = pools[n % len(pools)] or pools[0]
        return pool[(n // len(pools)) % len(pool)] if pool else None

    return (city.pk if city else None), owner


def _teams(rng: random.Random, corps_n: int, teams_n: int, groups_n: int) -> list[ServiceTeam]:
    """The synthetic corps → teams → groups, each kept by a unit of the tree (a group by its
    team's unit); returns the teams and groups volunteers join."""
    city, owner = _team_owners()
    leaves, owned = [], []
    for c in range(corps_n):
        corps, _ = ServiceTeam.objects.get_or_create(
            name=f"合成志愿服务团{c + 1:02d}", parent=None,
            defaults={"kind": ServiceTeam.Kind.CORPS, "founded": date(2018 + c % 5, 1 + c % 12, 1), "order": 100 + c})
        for t in range(teams_n):
            team, _ = ServiceTeam.objects.get_or_create(
                name=f"{FIELDS[t % len(FIELDS)]}服务队{t + 1:02d}", parent=corps,
                defaults={"kind": ServiceTeam.Kind.TEAM, "field": FIELDS[t % len(FIELDS)], "order": t})
            leaves.append(team)
            corps.organization_id = city
            team.organization_id = owner(c * teams_n + t)
            owned += [corps, team]
            for g in range(groups_n):
                group, _ = ServiceTeam.objects.get_or_create(
                    name=f"第{g + 1}工作组", parent=team, defaults={"kind": ServiceTeam.Kind.GROUP, "order": g})
                group.organization_id = team.organization_id
                leaves.append(group)
                owned.append(group)
    ServiceTeam.objects.bulk_update(owned, ["organization"], batch_size=1000)
    return leaves


def _wipe() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM volunteers_servicerecord WHERE volunteer_id IN "
            "(SELECT id FROM volunteers_volunteer WHERE email LIKE %s)", [f"%@{EMAIL_DOMAIN}"])
        cursor.execute(
            "DELETE FROM volunteers_membership WHERE volunteer_id IN "
            "(SELECT id FROM volunteers_volunteer WHERE email LIKE %s)", [f"%@{EMAIL_DOMAIN}"])
        cursor.execute("DELETE FROM volunteers_volunteer WHERE email LIKE %s", [f"%@{EMAIL_DOMAIN}"])


@extensions.data_generator(order=30)
def generate(scale, stdout):
    n_volunteers, n_records, corps_n, teams_n, groups_n, n_projects, n_orders = SCALES[scale]
    rng = random.Random(f"volunteers:{scale}")
    existing = Volunteer.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
    if existing == n_volunteers:
        stdout.write(f"  志愿服务：已有 {existing:,} 名合成志愿者，跳过")
        return
    started = time.perf_counter()
    with transaction.atomic():
        if existing:
            _wipe()
        leaves = _teams(rng, corps_n, teams_n, groups_n)
        volunteer_ids, team_of = _volunteers(rng, n_volunteers, leaves)
        stdout.write(f"  志愿服务：志愿者 {n_volunteers:,}（{time.perf_counter() - started:.0f} s）")
        projects = _projects(rng, leaves, n_projects)
        _orders(rng, projects, n_orders)
        _records(rng, volunteer_ids, team_of, n_records)
        _bench_account(volunteer_ids[0])
    if not connection.in_atomic_block:  # VACUUM sets the visibility map, so index-only scans pay off at once
        with connection.cursor() as cursor:
            for table in ("volunteers_volunteer", "volunteers_membership", "volunteers_servicerecord"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    stdout.write(f"  志愿服务：服务记录 {n_records:,}，点单 {n_orders:,}（共 {time.perf_counter() - started:.0f} s）")


def _volunteers(rng, n, leaves):
    counties = list(County.objects.values_list("id", flat=True)) or [None]
    now = timezone.now()
    columns = ["name", "gender", "id_number", "id_number_hash", "mobile", "mobile_hash", "birth_date", "email",
               "political_status", "education", "title", "title_level", "county_id", "employer", "field", "skills",
               "status", "consent_version", "consent_at", "reviewed_at", "rejection_reason", "notified_status",
               "created", "updated", "unit_id"]
    county_at = columns.index("county_id")
    rule = UnitRule()  # read once: every row's unit is worked out without a query
    team_choice = []
    batch = 20_000
    for start in range(0, n, batch):
        rows = []
        for serial in range(start, min(n, start + batch)):
            id_number, birth, gender = synthetic_identity(serial)
            mobile = synthetic_mobile(serial)
            title, level = rng.choice(TITLES)
            # serial 0 is the benchmark volunteer: always approved.
            roll = rng.random() if serial else 0
            status = "approved" if roll < 0.9 else "pending" if roll < 0.97 else "rejected" if roll < 0.99 else "suspended"
            created = now - timedelta(days=rng.randrange(1, 1500), minutes=rng.randrange(1440))
            rows.append([
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), gender, encrypt(id_number),
                id_number_hash(id_number), encrypt(mobile), mobile_hash(mobile), birth, f"v{serial}@{EMAIL_DOMAIN}",
                rng.choice(POLITICAL), rng.choice(EDUCATION), title, level, rng.choice(counties),
                f"合成单位{rng.randrange(500):03d}", rng.choice(FIELDS), "", status, "2025-01", created.isoformat(),
                None if status == "pending" else (created + timedelta(days=2)).isoformat(),
                "材料不完整" if status == "rejected" else "", "", created.isoformat(), created.isoformat(),
            ])
            team_choice.append(rng.randrange(len(leaves)))
            # Managed by the unit of the team they join (the rule), else their county's 科协.
            rows[-1].append(rule.unit_for(teams=[leaves[team_choice[-1]]], county_id=rows[-1][county_at]))
        _copy("volunteers_volunteer", columns, rows)
    ids = list(Volunteer.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("id").values_list("id", flat=True))
    team_of = {}
    led = set()
    rows = []
    for vid, t in zip(ids, team_choice, strict=True):
        team = leaves[t]
        leader_role = "group_leader" if team.kind == ServiceTeam.Kind.GROUP else "team_leader"
        role = leader_role if team.pk not in led else rng.choice(["member", "member", "liaison", "helper", "publicist"])
        led.add(team.pk)
        team_of[vid] = team.pk
        rows.append([vid, team.pk, role, date(2021, 1, 1) + timedelta(days=rng.randrange(1400))])
    _copy("volunteers_membership", ["volunteer_id", "team_id", "role", "joined"], rows)
    approved = list(Volunteer.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}", status=Volunteer.Status.APPROVED)
                    .order_by("id").values_list("id", flat=True))
    return approved, team_of


def _projects(rng, leaves, n):
    teams = [t for t in leaves if t.kind == ServiceTeam.Kind.TEAM]
    now = timezone.now()
    existing = ServiceProject.objects.filter(title__startswith="合成项目").count()
    ServiceProject.objects.bulk_create([
        ServiceProject(team=teams[i % len(teams)], title=f"合成项目{i + 1:04d}：{rng.choice(ACTIVITY_TITLES)}",
                       summary="用于性能测试的合成服务项目。", audience="社区居民", duration="半天",
                       status=ServiceProject.Status.PUBLISHED if i % 5 else ServiceProject.Status.CLOSED,
                       published_at=now - timedelta(days=i), order=1000 + i)
        for i in range(existing, n)
    ], batch_size=1000)
    return list(ServiceProject.objects.filter(title__startswith="合成项目").select_related("team"))


def _orders(rng, projects, n):
    existing = ServiceOrder.objects.filter(orderer_name__startswith="合成点单单位").count()
    statuses = [s for s, _l in ServiceOrder.Status.choices]
    today = timezone.localdate()
    orders = []
    for i in range(existing, n):
        project = projects[i % len(projects)]
        status = rng.choice(statuses)
        orders.append(ServiceOrder(
            project=project, team=None if status == "submitted" else project.team, status=status,
            orderer_kind=rng.choice(ServiceOrder.OrdererKind.values), orderer_name=f"合成点单单位{i:05d}",
            contact_name="联系人", contact_phone=synthetic_mobile(990000 + i % 9999), address="合成地址",
            wanted_date=today - timedelta(days=rng.randrange(-60, 900)), audience_size=rng.randrange(20, 400),
            needs="合成需求。", rating=rng.randrange(3, 6) if status == "rated" else None,
        ))
    ServiceOrder.objects.bulk_create(orders, batch_size=2000)


def _records(rng, volunteer_ids, team_of, n):
    """n records: BENCH_RECORDS for the benchmark volunteer, the rest spread over the others."""
    columns = ["volunteer_id", "team_id", "date", "hours", "title", "status", "recorded_at", "confirmed_at"]
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    bench, others = volunteer_ids[0], volunteer_ids[1:]
    batch = 200_000
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            vid = bench if i < BENCH_RECORDS else others[rng.randrange(len(others))]
            day = today - timedelta(days=rng.randrange(1, 1100))
            stamp = datetime.combine(day, dtime(18), tzinfo=tz).isoformat()
            confirmed = rng.random() < 0.95
            rows.append([vid, team_of[vid], day, rng.choice(("1.0", "1.5", "2.0", "2.5", "3.0", "4.0", "6.0", "8.0")),
                         rng.choice(ACTIVITY_TITLES), "confirmed" if confirmed else "pending", stamp,
                         stamp if confirmed else None])
        _copy("volunteers_servicerecord", columns, rows)


def _bench_account(volunteer_id: int) -> None:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=BENCH_USERNAME, defaults={"last_name": "压测志愿者"})
    if created:
        user.set_unusable_password()
        user.save()
    Volunteer.objects.filter(user=user).exclude(pk=volunteer_id).update(user=None)
    Volunteer.objects.filter(pk=volunteer_id).update(user=user)

