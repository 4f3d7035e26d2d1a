"""The statistics return counted from the portal's records: every computed item against
records built for it, and the roll-up of the whole tree against an independent SQL sum."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from association.models import Article, Organization
from events.models import Event
from returns import catalogue, services
from returns.models import ReturnItem, ReturnTable, StatisticsReturn
from talents.models import AwardRound, Match, Nomination, TechDemand
from tests.association.factories import ArticleFactory
from tests.events.factories import EventOutcomeFactory, PastEventFactory
from tests.talents.factories import DemandFactory, NominationFactory, RoundFactory
from tests.volunteers.factories import TeamFactory, VolunteerFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

YEAR = 2025
K = Organization.Kind


def at(month, day=10):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, 9, 0))


def held(unit, kind, participants=0, *, when=None, **outcome):
    start = when or at(5)
    event = PastEventFactory(organiser=unit, kind=kind, start=start, end=start + datetime.timedelta(hours=2))
    EventOutcomeFactory(event=event, participants=participants, **outcome)
    return event


def volunteers(n, unit, **fields):
    """Volunteers registered in the year (early in it), managed by ``unit``."""
    made = VolunteerFactory.create_batch(n, unit=unit, **fields)
    Volunteer.objects.filter(pk__in=[v.pk for v in made]).update(created=at(2))
    return made


def figures(unit) -> dict[str, Decimal]:
    """{"CKX表3 01": n, …} of the unit's own computed items."""
    own = services.own_figures(unit, YEAR)
    return {f"{i.table.code} {i.code}": own[i.pk] for i in services.items_for(unit, YEAR) if i.pk in own}


def test_the_catalogue_gives_a_county_ten_tables_and_a_society_nine():
    catalogue.sync()
    county = Organization(name="某县科协", kind=K.COUNTY_ASSOCIATION)
    society = Organization(name="某学会", kind=K.SOCIETY)
    county_codes = list(services.tables_for(county, YEAR).values_list("code", flat=True))
    society_codes = list(services.tables_for(society, YEAR).values_list("code", flat=True))
    assert county_codes == ["AK表1-1", "CKX表3", "DKX表4", "EKX表5", "FKX表6", "GKX表7", "HKX表8", "IKX表9", "JKX表10",
                            "KKX表11"]
    assert society_codes[0] == "AX表1-2" and "GKX表7" not in society_codes and len(society_codes) == 9
    # The next year is the same system until a file says otherwise.
    assert list(services.tables_for(county, YEAR + 1).values_list("code", flat=True)) == county_codes
    # Every computed item names a rule that some app registered.
    from association import extensions

    rules = extensions.statistic_rules()
    assert {i.rule for i in ReturnItem.objects.filter(source=ReturnItem.Source.COMPUTED)} <= set(rules)
    assert ReturnItem.objects.get(table__year=YEAR, table__code="EKX表5", code="02").part_of.code == "01"
    assert ReturnTable.objects.filter(year=YEAR).count() == 11


def test_every_computed_item_counts_the_units_own_records_in_the_year(tree):
    a, b, township = tree.county_a, tree.county_b, tree.township_a
    # 学术交流: two held by A (one by its township), one by B, one A's from another year, one A's draft.
    held(a, Event.Kind.ACADEMIC, 120)
    held(township, Event.Kind.INDUSTRY_CONFERENCE, 80, projects_signed=3, technologies_promoted=2)
    held(b, Event.Kind.ACADEMIC, 999)
    held(a, Event.Kind.SEMINAR, 15, when=timezone.make_aware(datetime.datetime(YEAR - 1, 12, 31, 9)))
    PastEventFactory(organiser=a, kind=Event.Kind.ACADEMIC, start=at(6), status=Event.Status.DRAFT)
    # 科普: a lecture, a clinic, a 科普日 and a science van by A.
    held(a, Event.Kind.TRAINING, 40)
    held(a, Event.Kind.HEALTH_CLINIC, 60, technologies_promoted=1)
    held(township, Event.Kind.POPSCI_DAY, 300)
    held(a, Event.Kind.SCIENCE_VAN, 0)
    held(a, Event.Kind.COMPETITION, 75)
    # Volunteers on the roll, by managing unit.
    volunteers(3, a)
    volunteers(1, township)
    volunteers(1, a, status=Volunteer.Status.PENDING)
    volunteers(1, b)
    VolunteerFactory(unit=a)  # registered after the year
    # Units of the tree below A.
    for kind in (K.RURAL_TECHNICAL_ASSOCIATION, K.RURAL_TECHNICAL_ASSOCIATION, K.E_STATION, K.RURAL_POPSCI_BASE,
                 K.POPSCI_BASE, K.ENTERPRISE_ASSOCIATION, K.COMMUNITY_HALL):
        Organization.objects.create(name=f"华龙区{kind}{Organization.objects.count()}", kind=kind, parent=township)
    # News by A in the year.
    ArticleFactory.create_batch(2, unit=a, published_at=at(3))
    ArticleFactory(unit=a, status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(unit=b, published_at=at(3))
    # Demands collected by A; one solved, one matched.
    solved = DemandFactory(collected_by=a, status=TechDemand.Status.SOLVED, created=at(4))
    DemandFactory(collected_by=township, created=at(4))
    DemandFactory(collected_by=b, created=at(4))
    DemandFactory(collected_by=a)  # collected after the year
    Match.objects.create(demand=solved, team=TeamFactory(organization=a), created=at(5))
    # Nominations by A; two awarded in a round announced in the year, one a woman under 40.
    announced = RoundFactory(status=AwardRound.Status.ANNOUNCED, announced_on=datetime.date(YEAR, 11, 1))
    NominationFactory(round=announced, nominating_unit=a, status=Nomination.Status.AWARDED, nominee_gender="F",
                      nominee_birth_date=datetime.date(YEAR - 35, 1, 1), submitted_at=at(3))
    NominationFactory(round=announced, nominating_unit=a, status=Nomination.Status.AWARDED,
                      nominee_birth_date=datetime.date(YEAR - 50, 1, 1), submitted_at=at(3))
    NominationFactory(round=announced, nominating_unit=a, status=Nomination.Status.NOT_AWARDED, submitted_at=at(3))
    NominationFactory(round=announced, nominating_unit=b, status=Nomination.Status.AWARDED, submitted_at=at(3))

    got = figures(a)
    expected = {
        "CKX表3 01": 2, "CKX表3 02": 200,
        "EKX表5 01": 4, "EKX表5 02": 1, "EKX表5 03": 1, "EKX表5 04": 1, "EKX表5 06": 400, "EKX表5 07": 4,
        "FKX表6 01": 1, "FKX表6 02": 75,
        "AK表1-1 01": 2 + 7, "AK表1-1 02": 1, "AK表1-1 03": 1, "AK表1-1 04": 0, "AK表1-1 05": 2, "AK表1-1 06": 0,
        "GKX表7 01": 2, "GKX表7 02": 1, "GKX表7 03": 1, "GKX表7 04": 1,
        "HKX表8 01": 2,
        "JKX表10 01": 2, "JKX表10 02": 1, "JKX表10 03": 1, "JKX表10 04": 3, "JKX表10 05": 3,
        "KKX表11 01": 3, "KKX表11 02": 2, "KKX表11 03": 1, "KKX表11 04": 1,
    }
    assert {k: int(v) for k, v in got.items()} == expected
    assert int(figures(b)["CKX表3 01"]) == 1


def test_the_roll_up_of_the_whole_tree_equals_the_records_summed_in_sql(tree):
    a, b, township, society = tree.county_a, tree.county_b, tree.township_a, tree.society
    for unit, n in ((tree.city, 1), (a, 2), (township, 3), (b, 4), (society, 5)):
        for i in range(n):
            held(unit, Event.Kind.ACADEMIC if i % 2 else Event.Kind.TRAINING, 10 * (i + 1))
        volunteers(n, unit)
    # Every filing unit below the city has an accepted return; the city's own is a draft.
    for unit in (a, b, society):
        statistics_return = services.open_return(unit.pk, YEAR)
        StatisticsReturn.objects.filter(pk=statistics_return.pk).update(status=StatisticsReturn.Status.ACCEPTED)
    city = services.roll_up(tree.city.pk, YEAR)
    assert city.missing == []
    by_code = {f"{i.table.code} {i.code}": i.pk for i in services.items_for(tree.city, YEAR)}

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE kind IN ('academic', 'industry', 'seminar')), "
            "count(*) FILTER (WHERE kind IN ('popsci_day', 'science_week', 'training', 'science_van', 'clinic', 'performance')) "
            "FROM events_event WHERE status IN ('published', 'finished') AND organiser_id IS NOT NULL "
            "AND start >= %s AND start < %s",
            [at(1, 1).replace(hour=0), at(12, 31).replace(hour=23, minute=59)],
        )
        academic, popsci = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM volunteers_volunteer WHERE status = 'approved' AND unit_id IS NOT NULL "
                       "AND created < %s", [at(12, 31).replace(hour=23, minute=59)])
        (on_roll,) = cursor.fetchone()
    assert (academic, popsci, on_roll) == (6, 9, 15)
    assert city.totals[by_code["CKX表3 01"]] == academic
    assert city.totals[by_code["EKX表5 01"]] == popsci
    assert city.totals[by_code["EKX表5 07"]] == on_roll
    # The city's own part is what no filing unit below it holds.
    assert city.own[by_code["CKX表3 01"]] == 0 and city.own[by_code["EKX表5 07"]] == 1


def test_a_filing_unit_below_without_an_accepted_return_is_named_missing_and_not_counted(tree):
    held(tree.county_b, Event.Kind.ACADEMIC, 10)
    services.open_return(tree.county_b.pk, YEAR)  # a draft: not yet accepted
    city = services.roll_up(tree.city.pk, YEAR)
    assert {u.name for u in city.missing} == {"华龙区科协", "濮阳县科协", "濮阳市化工学会"}
    item = ReturnItem.objects.get(table__year=YEAR, table__code="CKX表3", code="01")
    assert city.totals[item.pk] == 0
