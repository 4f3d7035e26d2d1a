"""The open API's list endpoints: queries and server time, uncached, at a scale.

    .venv/bin/python bench/api.py --scale small
    .venv/bin/python bench/api.py --scale large

Bars (issue 17): at ``large`` every list endpoint answers with the same number of queries
as at ``small``, p95 ≤ 50 ms uncached (the page cache is off in the harness; every request
is a fresh render). The per-address and per-token limits are lifted for the run: they are
counted in Redis, not measured here.
"""

import os

os.environ["API_RATE_PER_ADDRESS"] = os.environ["API_RATE_PER_TOKEN"] = "100000000/m"

from harness import Bench  # noqa: E402

bench = Bench.from_argv("open API lists")
bench.prepare()

from django.test import Client  # noqa: E402

from association import extensions  # noqa: E402
from association.api import auth  # noqa: E402
from association.models import ApiToken, Article, Organization, UnitMembership  # noqa: E402
from talents.models import Talent, TechDemand  # noqa: E402

bench.sizes(
    articles=Article.objects.count(),
    organizations=Organization.objects.count(),
    public_experts=Talent.objects.public().count(),
    demands=TechDemand.objects.count(),
)

public = [
    "/api/v1/news/",
    "/api/v1/news/?page=50",
    "/api/v1/news/?q=科普",
    "/api/v1/news/?category=society&page_size=100",
    "/api/v1/organizations/",
    "/api/v1/organizations/?kind=e_station",
    "/api/v1/talents/experts/",
    "/api/v1/talents/experts/?q=工程",
    "/api/v1/talents/awards/",
    "/api/v1/talents/demands/",
]
for path in public:
    bench.page(path)

# Lists the apps add (events, teams, the units' exchange) when they are there.
extra_public = ["/api/v1/events/", "/api/v1/volunteers/teams/", "/api/v1/volunteers/projects/"]
exchange = ["/api/v1/exchange/events/", "/api/v1/exchange/volunteers/", "/api/v1/exchange/returns/"]
prefixes = {entry.prefix for entry in extensions.api_routers()}
client = Client()
for path in extra_public:
    if client.get(path).status_code == 200:
        bench.page(path)

membership = UnitMembership.objects.select_related("user").order_by("organization__parent_id", "id").first()
if membership is not None:
    _, key = auth.issue(user=membership.user, kind=ApiToken.Kind.UNIT, name="bench")
    unit_client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    bench.notes.append(f"units' exchange as {membership.organization.name}'s staff")
    for path in exchange:
        if unit_client.get(path).status_code == 200:
            bench.page(path, client=unit_client)
bench.report()
