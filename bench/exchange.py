"""The units' data exchange (``/api/v1/exchange/…``) and the open data files.

    .venv/bin/python bench/exchange.py --scale small
    .venv/bin/python bench/exchange.py --scale large

Each exchange list is read with a unit token of the city office (city-wide), of 华龙区科协
(a county with its townships below it) and of 濮阳市化工学会 (a 学会): the first page, a
page of 100, a page deep in the list, and an incremental sync (``updated_since`` a day
ago). The open data files are timed uncached (made from the database) and as served again
(from the cache). Bars (large): every list p95 ≤ 50 ms with the same query count as at
small. Figures are printed with the data size; nothing is asserted here.
"""

import os

# The bench reads one token hundreds of times a minute: the per-token and per-address
# limits are the API's, not what is measured here.
os.environ.setdefault("API_RATE_PER_TOKEN", "1000000/m")
os.environ.setdefault("API_RATE_PER_ADDRESS", "1000000/m")

from harness import Bench  # noqa: E402

bench = Bench.from_argv("exchange", repeat=30)
bench.prepare()

from datetime import timedelta  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from association import extensions, opendata, roles, scoping  # noqa: E402
from association.api import auth as api_auth  # noqa: E402
from association.models import ApiToken, Organization, UnitMembership  # noqa: E402
from association.services.units import ROLE_GROUPS  # noqa: E402
from events.models import Event  # noqa: E402
from returns import services as return_services  # noqa: E402
from returns.models import StatisticsReturn  # noqa: E402
from volunteers.models import Volunteer  # noqa: E402

User = get_user_model()


def token_client(user) -> Client:
    _token, key = api_auth.issue(user=user, kind=ApiToken.Kind.UNIT, name="bench")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def unit_user(username: str, unit: Organization):
    user, _created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[UnitMembership.Role.ADMIN]))
    UnitMembership.objects.get_or_create(user=user, defaults={"organization": unit, "role": UnitMembership.Role.ADMIN})
    return user


county = Organization.objects.get(name="华龙区科协")
society = Organization.objects.get(name="濮阳市化工学会")
office, _created = User.objects.get_or_create(username="bench-office", defaults={"is_staff": True})
office.groups.add(Group.objects.get(name=roles.OFFICE), Group.objects.get(name=roles.POPSCI),
                  Group.objects.get(name=roles.LEADERS))
clients = {
    "city  ": token_client(office),
    "county": token_client(unit_user("bench-hualong", county)),
    "学会  ": token_client(unit_user("bench-huagong", society)),
}


# Returns exist once a unit opens its year's (the generator makes none): the city's and
# those of the counties and 学会 directly below it.
with transaction.atomic():
    for unit in Organization.objects.filter(Q(pk=scoping.city_unit_id()) | Q(parent_id=scoping.city_unit_id())):
        if return_services.files_a_return(unit):
            return_services.open_return(unit.pk, timezone.localdate().year)


def share(model, unit) -> int:
    return scoping.scope_to_unit(model.objects.all(), unit.pk).count()


bench.sizes(
    units=Organization.objects.count(), units_under_county=len(scoping.subtree_ids(county.pk)),
    events=Event.objects.count(), county_events=share(Event, county), society_events=share(Event, society),
    volunteers=Volunteer.objects.count(), county_volunteers=share(Volunteer, county),
    society_volunteers=share(Volunteer, society),
    returns=StatisticsReturn.objects.count(),
)

since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
LISTS = ["events", "volunteers", "returns"]
for name in LISTS:
    base = f"/api/v1/exchange/{name}/"
    for who, client in clients.items():
        bench.page(base, client=client, label=f"{who} {name}")
        bench.page(f"{base}?page_size=100", client=client, label=f"{who} {name} ×100")
        bench.page(f"{base}?page=50", client=client, label=f"{who} {name} page 50")
        bench.page(f"{base}?updated_since={since}", client=client, label=f"{who} {name} since yesterday")

year = timezone.localdate().year
for data in extensions.open_datasets():
    moment = year if data.yearly else None
    for fmt in ("csv", "json"):
        key = f"open-data:{data.key}:{moment or 'current'}:{fmt}"

        def uncached(data=data, moment=moment, fmt=fmt, key=key):
            cache.delete(key)
            opendata.make_file(data, moment, fmt)

        row = bench.timed(f"open data {data.key}.{fmt} made", uncached, repeat=10)
        row["page"] += f" ({len(opendata.make_file(data, moment, fmt).body):,} bytes)"
        bench.page(opendata.file_url(data, moment, fmt), label=f"open data {data.key}.{fmt} served")
bench.page("/open-data/", label="/open-data/")
bench.report()
