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

from association.models import Article, Organization  # noqa: E402
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
    "/api/v1/events/",
    "/api/v1/events/?when=upcoming",
    "/api/v1/volunteers/teams/",
    "/api/v1/volunteers/projects/",
]
for path in public:
    bench.page(path)

bench.notes.append("the units' exchange lists: bench/exchange.py; a volunteer's own: bench/api_me.py")
bench.report()
