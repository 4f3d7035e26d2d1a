"""Scoped admin lists: a county 科协's and a 学会's accounts beside the city's departments.

    .venv/bin/python bench/scoping.py --scale small
    .venv/bin/python bench/scoping.py --scale large

Each list (volunteers, events, registrations, nominations, demands) is opened by the city's
department staff (city-wide), by 华龙区科协 (a county with its townships and grassroots
units below it) and by 濮阳市化工学会 (a 学会). Bars (large): every scoped list p95 ≤ 150 ms
with the same query count as at small. The figures are printed with the rows each list
holds; nothing is asserted here.
"""

from harness import Bench

bench = Bench.from_argv("scoping", repeat=30)
bench.prepare()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402

from association import roles, scoping  # noqa: E402
from association.models import Organization, UnitMembership  # noqa: E402
from association.services.units import ROLE_GROUPS  # noqa: E402
from events.models import Event, Registration  # noqa: E402
from talents.models import Nomination, TechDemand  # noqa: E402
from volunteers.models import Volunteer  # noqa: E402

User = get_user_model()


def unit_client(username: str, unit_name: str) -> tuple[Client, Organization]:
    unit = Organization.objects.get(name=unit_name)
    user, _created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[UnitMembership.Role.ADMIN]))
    UnitMembership.objects.get_or_create(user=user, defaults={"organization": unit, "role": UnitMembership.Role.ADMIN})
    client = Client()
    client.force_login(user)
    return client, unit


def city_client(username: str, group: str) -> Client:
    user, _created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


county_client, county = unit_client("bench-hualong", "华龙区科协")
society_client, society = unit_client("bench-huagong", "濮阳市化工学会")
popsci = city_client("bench-popsci", roles.POPSCI)
academic = city_client("bench-academic", roles.ACADEMIC)


def share(model, unit) -> int:
    return scoping.scope_to_unit(model.objects.all(), unit.pk).count()


bench.sizes(
    units=Organization.objects.count(),
    units_under_county=len(scoping.subtree_ids(county.pk)),
    units_under_society=len(scoping.subtree_ids(society.pk)),
    volunteers=Volunteer.objects.count(), county_volunteers=share(Volunteer, county),
    society_volunteers=share(Volunteer, society),
    events=Event.objects.count(), county_events=share(Event, county), society_events=share(Event, society),
    registrations=Registration.objects.count(), county_registrations=share(Registration, county),
    nominations=Nomination.objects.count(), county_nominations=share(Nomination, county),
    society_nominations=share(Nomination, society),
    demands=TechDemand.objects.count(), county_demands=share(TechDemand, county),
)

LISTS = [
    ("volunteers", "/admin/volunteers/volunteer/", popsci),
    ("volunteers ?status=pending", "/admin/volunteers/volunteer/?status__exact=pending", popsci),
    ("events", "/admin/events/event/", popsci),
    ("registrations", "/admin/events/registration/", popsci),
    ("nominations", "/admin/talents/nomination/", academic),
    ("demands", "/admin/talents/techdemand/", academic),
]
for label, path, city in LISTS:
    bench.page(path, client=city, label=f"city   {label}")
    bench.page(path, client=county_client, label=f"county {label}")
    bench.page(path, client=society_client, label=f"学会   {label}")
bench.page("/dashboard/", client=county_client, label="county /dashboard/")
bench.page("/dashboard/", client=society_client, label="学会   /dashboard/")
bench.report()
