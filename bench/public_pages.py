"""Public pages of the core: queries, server time and throughput.

    .venv/bin/python bench/public_pages.py --scale small
    .venv/bin/python bench/public_pages.py --scale large
"""

from harness import Bench

bench = Bench.from_argv("public pages")
bench.prepare()

from association.models import Organization  # noqa: E402

bench.sizes(organizations=Organization.objects.count())
bench.page("/organizations/")
bench.page("/organizations/?kind=e_station")
bench.load(["/organizations/"])
bench.report()
