"""The open API's events, teams and projects, and a volunteer's own: SQL queries and
p50/p95 server time, uncached (the API keeps no answer on the server; every request here
is answered afresh).

    .venv/bin/python bench/api_me.py --scale small
    .venv/bin/python bench/api_me.py --scale large

Bar (issue 17): at large, every list answers with the same query count as at small and
p95 ≤ 50 ms.
"""

import os

from harness import Bench

# Every request comes from 127.0.0.1 with one token: the API's limits are lifted here.
os.environ["API_RATE_PER_ADDRESS"] = os.environ["API_RATE_PER_TOKEN"] = "10000000/m"

bench = Bench.from_argv("api: events, teams, projects, a volunteer's own")
bench.prepare()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from association.api import auth  # noqa: E402
from association.models import ApiToken  # noqa: E402
from events.models import Event, Registration  # noqa: E402
from volunteers.models import ServiceProject, ServiceRecord, ServiceTeam, Volunteer  # noqa: E402
from volunteers.synthetic import BENCH_USERNAME  # noqa: E402

volunteer = Volunteer.objects.select_related("user").get(user__username=BENCH_USERNAME)
bench.sizes(
    events=Event.objects.count(),
    registrations=Registration.objects.count(),
    teams=ServiceTeam.objects.count(),
    projects=ServiceProject.objects.count(),
    volunteers=Volunteer.objects.count(),
    service_records=ServiceRecord.objects.count(),
    bench_volunteer_records=volunteer.records.count(),
)

_token, key = auth.issue(user=volunteer.user, kind=ApiToken.Kind.VOLUNTEER, name="bench")
me = Client(headers={"Authorization": f"Bearer {key}"})

busiest = (Event.objects.public().filter(seats_taken__gt=0).order_by("-seats_taken", "id").only("id").first()
           or Event.objects.public().order_by("id").only("id").first())
county = Event.objects.public().exclude(county=None).values_list("county_id", flat=True).first()
month = timezone.localdate().strftime("%Y-%m")

try:
    bench.page("/api/v1/events/")
    bench.page("/api/v1/events/?when=upcoming")
    bench.page("/api/v1/events/?when=past&page=50", label="/api/v1/events/?when=past&page=50 (deep)")
    bench.page(f"/api/v1/events/?kind=training&county={county}", label="/api/v1/events/?kind=…&county=…")
    bench.page(f"/api/v1/events/?month={month}", label="/api/v1/events/?month=… (this month)")
    bench.page(f"/api/v1/events/{busiest.pk}/", label="/api/v1/events/<id>/ (most sign-ups)")
    bench.page("/api/v1/volunteers/teams/")
    bench.page("/api/v1/volunteers/projects/")
    bench.page("/api/v1/volunteers/projects/?page=5")
    bench.page("/api/v1/me/", client=me, label="/api/v1/me/ (profile)")
    bench.page("/api/v1/me/hours", client=me)
    bench.page("/api/v1/me/hours/records", client=me)
    bench.page("/api/v1/me/hours/records?page=20", client=me, label="/api/v1/me/hours/records?page=20 (deep)")
    bench.page("/api/v1/me/events/", client=me, label="/api/v1/me/events/ (my activities)")
    bench.page("/api/v1/me/events/check-ins", client=me)
    bench.page("/api/v1/me/orders/", client=me)
finally:
    auth.revoke(token_id=_token.pk)
bench.report()
