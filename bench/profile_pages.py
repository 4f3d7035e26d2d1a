"""Where a page's time goes: each page rendered uncached through the test client under
cProfile, with its query count and the functions that take the most time.

    .venv/bin/python bench/profile_pages.py --scale large               # every page below
    .venv/bin/python bench/profile_pages.py --scale large --top 40 /   # one page (as listed), more lines
    .venv/bin/python bench/profile_pages.py --scale large --cold       # nothing kept rendered

The page cache is off (harness), DEBUG=0 as in production; the parts of pages kept rendered
(``association.fragments``) are on, as in production, unless ``--cold``. Read the "own time" list for
the hot spots and the "with callees" list for which template or query shape they belong to.
"""

import argparse
import cProfile
import io
import pstats
import sys
import time

sys.argv, _argv = sys.argv[:1], sys.argv[1:]
parser = argparse.ArgumentParser()
parser.add_argument("--scale", default="small")
parser.add_argument("--repeat", type=int, default=50)
parser.add_argument("--top", type=int, default=25)
parser.add_argument("--cold", action="store_true", help="FRAGMENT_CACHE_SECONDS=0: every part rendered")
parser.add_argument("paths", nargs="*")
args = parser.parse_args(_argv)
if args.cold:
    import os

    os.environ["FRAGMENT_CACHE_SECONDS"] = "0"

from harness import Bench, count_queries  # noqa: E402

bench = Bench("profile", args.scale)
bench.prepare()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402

from association.models import Article  # noqa: E402
from association.roles import LEADERS  # noqa: E402
from events.models import Event  # noqa: E402
from volunteers.models import Volunteer  # noqa: E402
from volunteers.synthetic import BENCH_USERNAME  # noqa: E402


def public_pages() -> dict[str, Client]:
    article = Article.objects.published().order_by("-published_at").only("id")[37]
    event = Event.objects.filter(status=Event.Status.PUBLISHED, registration_open=True).order_by("-start").first()
    anonymous = Client()
    return dict.fromkeys(("/", "/events/", "/news/", f"/news/{article.pk}/", f"/events/{event.pk}/"), anonymous)


def logged_in_pages() -> dict[str, Client]:
    volunteer = Client()
    volunteer.force_login(Volunteer.objects.get(user__username=BENCH_USERNAME).user)
    leader_user, created = get_user_model().objects.get_or_create(username="bench-leader", defaults={"is_staff": True})
    if created:
        leader_user.groups.add(Group.objects.get(name=LEADERS))
    leader = Client()
    leader.force_login(leader_user)
    return {"/accounts/me/": volunteer, "/dashboard/": leader}


pages = {**public_pages(), **logged_in_pages()}
if args.paths:
    pages = {p: c for p, c in pages.items() if p in args.paths}
print(f"\n== profile @ {args.scale}, {args.repeat} requests per page ==")
summary = []
for path, client in pages.items():
    assert client.get(path).status_code == 200, path  # warm-up
    with count_queries() as counted:
        client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(path)
    profiler.disable()
    ms = (time.perf_counter() - started) * 1000 / args.repeat
    summary.append((path, counted[0], ms))
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
        print(f"\n-- {path}: {ms:.1f} ms a request (profiled), {counted[0]} queries; by "
              f"{'own time' if order == 'tottime' else 'time with callees'}")
        print("\n".join(lines[start:start + args.top + 1]))
print(f"\n  {'page':<32} {'queries':>7} {'ms (profiled)':>14}")
for path, queries, ms in summary:
    print(f"  {path:<32} {queries:>7} {ms:>14.1f}")
