"""Talents: the expert directory with filters, the ranking of the 3,000-nomination round, demands.

    .venv/bin/python bench/talents.py --scale small
    .venv/bin/python bench/talents.py --scale large

Bars (issue 5): at large, each p95 ≤ 100 ms, and query counts equal to those at small.
"""

from harness import Bench

bench = Bench.from_argv("talents")
bench.prepare()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from talents.models import AwardRound, Field, Nomination, Review, Talent, TechDemand  # noqa: E402
from talents.selectors import round_ranking  # noqa: E402
from talents.synthetic import PROGRAMME_CODE  # noqa: E402

big_round = AwardRound.objects.get(programme__code=PROGRAMME_CODE, number=1)
bench.sizes(
    experts=Talent.objects.count(),
    public_experts=Talent.objects.filter(public_profile=True).count(),
    nominations=Nomination.objects.count(),
    reviews=Review.objects.count(),
    ranking_round=big_round.nominations.count(),
    demands=TechDemand.objects.count(),
    published_demands=TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).count(),
)

chem = Field.objects.get(name="化学化工")
bench.page("/talents/experts/")
bench.page(f"/talents/experts/?field={chem.pk}&level=2", label="/talents/experts/ field+level")
bench.page(f"/talents/experts/?registry=pool&field={chem.pk}&page=3", label="/talents/experts/ registry+field p3")
bench.page("/talents/experts/?q=化工", label="/talents/experts/ keyword")

bench.timed(f"ranking: round of {big_round.nominations.count():,} (all rows)", lambda: list(round_ranking(big_round.pk)))
admin, _created = get_user_model().objects.get_or_create(
    username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
)
staff = Client()
staff.force_login(admin)
bench.page(f"/admin/talents/awardround/{big_round.pk}/ranking/", label="staff ranking page (50 a page)", client=staff)
bench.page(f"/admin/talents/awardround/{big_round.pk}/ranking/?page=30", label="staff ranking page 30", client=staff)

bench.page("/talents/demands/")
bench.page("/talents/demands/?kind=technology&industry=new_materials", label="/talents/demands/ kind+industry")
bench.page("/talents/demands/?page=50", label="/talents/demands/ page 50")

bench.load(["/talents/experts/", f"/talents/experts/?field={chem.pk}&level=2", "/talents/demands/"])
bench.report()
