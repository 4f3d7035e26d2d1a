"""Synthetic data for benchmarks: experts, nominations with reviews, demands (deterministic, bulk).

At ``large``: 20,000 experts, 30,000 nominations with 150,000 reviews (one round alone holds
3,000 nominations, for the ranking benchmark) and 5,000 demands. Each part is skipped when
already complete and rebuilt when a run was interrupted.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from association import extensions, scoping
from association.choices import TitleLevel
from association.crypto import lookup_hash
from association.models import County, Organization

from .demo import people
from .demo.awards import ensure_programmes
from .demo.demands import FIELDS_OF, INDUSTRY_WEIGHTS, TECH_TITLES
from .demo.experts import ensure_reference
from .forms import NOMINATING_KINDS
from .models import AwardProgramme, AwardRound, Nomination, Review, Talent, TechDemand
from .roles import REVIEWER_GROUP

SIZES = {
    # experts, nominations, ranking round, reviewers, demands
    "small": (1_000, 1_000, 300, 12, 500),
    "medium": (5_000, 10_000, 1_000, 30, 2_000),
    "large": (20_000, 30_000, 3_000, 60, 5_000),
}
REVIEWS_PER_NOMINATION = 5
MARK = "合成数据"
PROGRAMME_CODE = "synth"
BATCH = 5_000
EPOCH = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=datetime.UTC)


@extensions.data_generator(order=50)
def generate_talents(scale, stdout):
    n_experts, n_nominations, ranking_round, n_reviewers, n_demands = SIZES[scale]
    fields, committees = ensure_reference()
    ensure_programmes()
    _experts(scale, n_experts, fields, committees, stdout)
    reviewers = _reviewers(n_reviewers)
    _nominations(scale, n_nominations, ranking_round, reviewers, fields, stdout)
    _demands(scale, n_demands, fields, stdout)


def _experts(scale, wanted, fields, committees, stdout):
    existing = Talent.objects.filter(bio__startswith=MARK)
    if existing.count() == wanted:
        stdout.write(f"  人才：已有合成专家 {wanted} 位")
        return
    existing.delete()
    rng = random.Random(f"talents:experts:{scale}")
    counties = list(County.objects.all())
    field_list = list(fields.values())
    committee_list = list(committees.values())
    rows = []
    for i in range(wanted):
        gender = "M" if rng.random() < 0.62 else "F"
        field = rng.choice(field_list)
        level = rng.choices([1, 2, 3, 4, 9], weights=[15, 35, 35, 10, 5])[0]
        doctors = rng.random() < 0.1
        contact = people.mobile(rng)
        rows.append(Talent(
            name=people.person_name(rng, gender), gender=gender, birth_year=rng.randint(1955, 1995),
            title=people.title_for(rng, field.name, level), title_level=level,
            degree=rng.choice(["doctor", "master", "bachelor", "college"]), field=field,
            specialty=f"{field.name}方向{i % 97}", employer=rng.choice(people.EMPLOYERS_BY_FIELD[field.name]),
            county=rng.choice(counties) if counties else None, in_expert_pool=rng.random() < 0.5,
            in_doctors_association=doctors, committee=rng.choice(committee_list) if doctors else None,
            is_haizhi=rng.random() < 0.05, public_profile=rng.random() < 0.6,
            contact=contact, contact_hash=lookup_hash(contact, purpose="talent-contact"),
            bio=f"{MARK}：{field.name}领域专家。",
        ))
    _bulk(Talent, rows)
    stdout.write(f"  人才：合成专家 {wanted} 位")


def _bulk(model, rows):
    """bulk_create in batches (EncryptedTextField encrypts each value on the way in)."""
    with transaction.atomic():
        for start in range(0, len(rows), BATCH):
            model.objects.bulk_create(rows[start:start + BATCH], batch_size=BATCH)


def _reviewers(count):
    User = get_user_model()
    group, _c = Group.objects.get_or_create(name=REVIEWER_GROUP)
    have = set(User.objects.filter(username__startswith="synth-reviewer-").values_list("username", flat=True))
    new = [User(username=f"synth-reviewer-{i:03d}", last_name=f"合成评审专家{i:03d}", password="!")
           for i in range(count) if f"synth-reviewer-{i:03d}" not in have]
    User.objects.bulk_create(new)
    users = list(User.objects.filter(username__startswith="synth-reviewer-").order_by("username")[:count])
    group.user_set.add(*users)
    return users


def _nominations(scale, wanted, ranking_size, reviewers, fields, stdout):
    programme, _c = AwardProgramme.objects.get_or_create(
        code=PROGRAMME_CODE, defaults={"name": "合成数据评选", "nominee_kind": AwardProgramme.NomineeKind.PERSON, "order": 99}
    )
    existing = Nomination.objects.filter(round__programme=programme)
    if existing.count() == wanted and Review.objects.filter(nomination__round__programme=programme).count() == wanted * REVIEWS_PER_NOMINATION:
        stdout.write(f"  奖项：已有合成推荐 {wanted} 份")
        return
    Review.objects.filter(nomination__round__programme=programme).delete()
    existing.delete()
    AwardRound.objects.filter(programme=programme).delete()
    rng = random.Random(f"talents:nominations:{scale}")
    pick_unit = _nominating_units(rng)
    talent_ids = list(Talent.objects.filter(bio__startswith=MARK).values_list("pk", flat=True))
    field_list = list(fields.values())
    # one big round being reviewed (the ranking benchmark) and announced rounds of 1,000 for the rest
    sizes = [ranking_size]
    rest = wanted - ranking_size
    while rest > 0:
        sizes.append(min(1000, rest))
        rest -= sizes[-1]
    phone = "13800000000"
    nominations, rounds = [], []
    for number, size in enumerate(sizes, start=1):
        reviewing = number == 1
        year = 2000 + number
        award_round = AwardRound.objects.create(
            programme=programme, number=number, year=year, quota=max(1, size // 10),
            status=AwardRound.Status.REVIEWING if reviewing else AwardRound.Status.ANNOUNCED,
            nomination_opens=datetime.date(year, 3, 1), nomination_closes=datetime.date(year, 4, 15),
            reference_date=datetime.date(year, 5, 30),
        )
        rounds.append(award_round)
        for k in range(size):
            if reviewing:
                status = Nomination.Status.IN_REVIEW
            else:
                status = Nomination.Status.AWARDED if k < award_round.quota else Nomination.Status.NOT_AWARDED
            gender = "M" if rng.random() < 0.6 else "F"
            field = rng.choice(field_list)
            nominations.append(Nomination(
                round=award_round, nominating_unit_id=pick_unit(), status=status,
                talent_id=None, nominee_name=people.person_name(rng, gender), nominee_gender=gender,
                nominee_birth_date=people.birth_date(rng, year - 55, year - 30),
                nominee_title=rng.choice(people.TITLES_BY_LEVEL[2]), nominee_title_level=TitleLevel.ASSOCIATE,
                nominee_employer=rng.choice(people.EMPLOYERS_BY_FIELD[field.name]), nominee_field=field,
                summary=f"{MARK}。", contact_person="联系人", contact_phone=phone,
                submitted_at=EPOCH + datetime.timedelta(minutes=len(nominations)),
            ))
    # a few winners stand for registry entries, as announcements would have made them
    for n, talent_id in zip([n for n in nominations if n.status == Nomination.Status.AWARDED], talent_ids, strict=False):
        n.talent_id = talent_id
    _bulk(Nomination, nominations)
    reviews = []
    for n in nominations:
        base = rng.randint(55, 95)
        for reviewer in rng.sample(reviewers, REVIEWS_PER_NOMINATION):
            reviews.append(Review(
                nomination_id=n.pk, round_id=n.round_id, reviewer=reviewer, score=max(0, min(100, base + rng.randint(-10, 10))),
                comment="", assigned_at=n.submitted_at, scored_at=n.submitted_at,
            ))
    _bulk(Review, reviews)
    stdout.write(f"  奖项：合成推荐 {len(nominations)} 份（{len(rounds)} 届，最大一届 {ranking_size} 份），评审 {len(reviews)} 条")


def _nominating_units(rng):
    """Who nominates, spread over the tree as a call's answers are: four in ten by the county
    and park 科协 (the same weight for each), three by the 学会, three by the other units
    (townships, enterprise and university 科协…, under their county's 科协). One query."""
    K = Organization.Kind
    rows = Organization.objects.filter(kind__in=NOMINATING_KINDS).order_by("pk").values_list("pk", "kind")
    groups = {"county": [], "society": [], "other": []}
    for pk, kind in rows:
        key = "county" if kind in (K.COUNTY_ASSOCIATION, K.PARK_ASSOCIATION) else "society" if kind == K.SOCIETY else "other"
        groups[key].append(pk)
    choices = [(ids, weight) for ids, weight in ((groups["county"], 4), (groups["society"], 3), (groups["other"], 3)) if ids]
    if not choices:
        everyone = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        return lambda: rng.choice(everyone)
    pools, weights = zip(*choices, strict=True)
    return lambda: rng.choice(rng.choices(pools, weights=weights)[0])


def _collectors(rng):
    """Who collects a demand of a county, as the public form and the units' own work spread
    them: mostly the county's 科协 (``services.demands.collector_for``), a quarter a unit
    below it in that county (a township, an enterprise 科协), the rest the city. One query."""
    K = Organization.Kind
    city = scoping.city_unit_id()
    county_unit, below = {}, {}
    rows = (Organization.objects.filter(kind__in=[K.COUNTY_ASSOCIATION, K.PARK_ASSOCIATION, K.TOWNSHIP_ASSOCIATION,
                                                  K.ENTERPRISE_ASSOCIATION], is_active=True, county__isnull=False)
            .order_by("kind", "order", "id").values_list("pk", "kind", "county_id", "parent_id"))
    for pk, kind, county_id, parent_id in rows:
        if kind in (K.COUNTY_ASSOCIATION, K.PARK_ASSOCIATION):
            county_unit.setdefault(county_id, pk)
        elif parent_id is not None and parent_id != city:
            below.setdefault(county_id, []).append(pk)

    def pick(county_id):
        own = county_unit.get(county_id)
        roll = rng.random()
        if own is None or roll < 0.15:
            return city
        if roll < 0.40 and below.get(county_id):
            return rng.choice(below[county_id])
        return own

    return pick


def _demands(scale, wanted, fields, stdout):
    existing = TechDemand.objects.filter(description__startswith=MARK)
    if existing.count() == wanted and not existing.filter(collected_by__isnull=True).exists():
        stdout.write(f"  技术需求：已有合成需求 {wanted} 项")
        return
    existing.delete()
    rng = random.Random(f"talents:demands:{scale}")
    collector = _collectors(random.Random(f"talents:collectors:{scale}"))
    industries = [i for i, w in INDUSTRY_WEIGHTS for _ in range(w)]
    counties = list(County.objects.all())
    statuses = [s for s, w in [("collected", 10), ("checked", 8), ("rejected", 7), ("published", 35), ("matched", 25),
                               ("solved", 15)] for _ in range(w)]
    phone = "13900000000"
    rows, wanted_fields = [], []
    for i in range(wanted):
        industry = rng.choice(industries)
        status = rng.choice(statuses)
        created = EPOCH + datetime.timedelta(hours=i * 3)
        public = status in TechDemand.PUBLIC_STATES
        county = rng.choice(counties) if counties else None
        rows.append(TechDemand(
            kind="talent" if rng.random() < 0.2 else "technology", industry=industry,
            title=f"{rng.choice(TECH_TITLES[industry])}（{i:05d}）", description=f"{MARK}：企业技术需求描述。",
            budget=Decimal(rng.choice([10, 20, 50, 100])) if rng.random() < 0.7 else None,
            enterprise_name=f"合成企业{i % (wanted // 3 + 1):05d}有限公司", county=county,
            collected_by_id=collector(county.pk if county else None),
            contact_person="联系人", contact_phone=phone, contact_phone_hash=lookup_hash("13900000000", purpose="demand-phone"),
            status=status, created=created, status_changed=created,
            published_at=created + datetime.timedelta(days=7) if public else None,
        ))
        wanted_fields.append([fields[name] for name in FIELDS_OF[industry]])
    _bulk(TechDemand, rows)
    through = TechDemand.fields.through
    links = [through(techdemand_id=d.pk, field_id=f.pk) for d, fs in zip(rows, wanted_fields, strict=True) for f in fs]
    _bulk(through, links)
    stdout.write(f"  技术需求：合成需求 {wanted} 项")
