"""Every public page side by side, in one interleaved run: served with the anonymous page
cache and rendered every time, each against the static ceiling of the same server.

    .venv/bin/python bench/side_by_side.py --scale large                        # the real run (~11 min)
    .venv/bin/python bench/side_by_side.py --scale small --duration 2 --rounds 1   # a quick look

Two gunicorns (4 sync workers each, ``gunicorn.conf.py``) on the same database, alike but
for one setting: one with the page cache on (``PUBLIC_PAGE_CACHE_SECONDS=30``, the
production default), one with it off (every request rendered; the parts of pages kept
rendered, ``association.fragments``, are on in both, as in production). Each round takes
the pages in turn and measures with wrk (16 connections, ``--duration`` seconds) the static
ceiling (a CSS file through WhiteNoise), the page cached and the page rendered; a page's
ratios are over the ceiling measured just before it, under the same load from the rest of
the machine. Figures are medians over the rounds.

Query counts: each page rendered in this process through the test client, at ``small``
and at ``large`` (both databases are made when missing), with nothing kept (the first
visitor after a change) and with the kept parts warm (every visitor after).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import PY, ROOT, Bench, _parse_wrk, count_queries  # noqa: E402

CEILING = "/static/css/portal.css"
# What the issue measured before (req/s rendered every time) and the bars it sets.
BEFORE = {"/": 96, "/news/": 189, "/news/?q=科普": 122, "/events/": 92, "/talents/experts/": 151,
          "/news/{article}/": 224, "/events/{event}/": 239}
BARS = {"/": 290, "/events/": 280, "/news/": 560}
CACHED_BAR = 0.5


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(width - len(text) - wide, 0)


def pages() -> list[str]:
    return list(BEFORE)


def ids() -> dict:
    """The article and the event measured (the same choice at every scale)."""
    from association.models import Article
    from events.models import Event

    article = Article.objects.published().order_by("-published_at").only("id")[37]
    event = Event.objects.filter(status=Event.Status.PUBLISHED, registration_open=True).order_by("-start", "-id").first()
    return {"article": article.pk, "event": event.pk}


def counts() -> dict:
    """{page: [queries with nothing kept, queries with the kept parts warm]} in this process."""
    from django.conf import settings
    from django.test import Client

    from association import fragments

    found = {}
    filled = ids()
    for page in pages():
        path = page.format(**filled)
        row = []
        for seconds in (0, 60):
            settings.FRAGMENT_CACHE_SECONDS = seconds
            fragments.clear_local()
            client = Client()
            assert client.get(path).status_code == 200, path  # warm-up (connections, versions)
            with count_queries() as counted:
                client.get(path)
            row.append(counted[0])
        found[page] = row
    return found


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    return _parse_wrk(out)


def main():
    parser = argparse.ArgumentParser(description="public pages: page cache on and off, against the static ceiling")
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="large")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--counts-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    bench = Bench("side by side", args.scale)
    bench.prepare()
    if args.counts_only:
        print("COUNTS " + json.dumps(counts()))
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    from association.models import Article
    from events.models import Event, Registration
    from talents.models import Talent

    sizes = {"articles": Article.objects.count(), "events": Event.objects.count(),
             "registrations": Registration.objects.count(), "talents": Talent.objects.count()}
    filled = ids()
    query_counts = {args.scale: counts()}
    for other in ("small", "large"):
        if other != args.scale:
            out = subprocess.run([PY, __file__, "--scale", other, "--counts-only"], cwd=ROOT, env=os.environ,
                                 capture_output=True, text=True, check=True).stdout
            query_counts[other] = json.loads(next(line for line in out.splitlines() if line.startswith("COUNTS "))[7:])

    env = {**bench.env, "CONN_MAX_AGE": "60"}
    servers = {}
    try:
        servers["cached"] = bench.gunicorn(args.workers, env={**env, "PUBLIC_PAGE_CACHE_SECONDS": "30"})
        servers["rendered"] = bench.gunicorn(args.workers, env={**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"})
        urls = {page: quote(page.format(**filled), safe="/?=&") for page in pages()}
        for _proc, base in servers.values():  # every worker: connections, versions, kept parts
            for url in urls.values():
                for _ in range(args.workers * 3):
                    urllib.request.urlopen(base + url, timeout=60).read()
        results = {(kind, page): [] for kind in servers for page in [CEILING, *pages()]}
        started = time.time()
        for round_no in range(1, args.rounds + 1):
            for page in pages():
                # The ceiling beside each page, so that a ratio compares two figures taken
                # under the same load from the rest of the machine.
                ceiling = wrk(servers["cached"][1] + CEILING, args.duration, args.connections)["rps"]
                results[("cached", CEILING)].append(ceiling)
                for kind, (_proc, base) in servers.items():
                    measured = wrk(base + urls[page], args.duration, args.connections)
                    results[(kind, page)].append({**measured, "ratio": measured["rps"] / ceiling})
            print(f"  round {round_no} done ({time.time() - started:.0f} s)", flush=True)
    finally:
        for proc, _base in servers.values():
            proc.terminate()
            proc.wait(15)

    def median(kind, page, key):
        return statistics.median(r[key] for r in results[(kind, page)])

    print(f"\n== public pages side by side @ {args.scale} ==")
    print("  data: " + ", ".join(f"{k}={v:,}" for k, v in sizes.items()))
    print(f"  gunicorn {args.workers} sync workers per server, wrk {args.connections} connections, "
          f"{args.duration} s per measurement, {args.rounds} interleaved rounds (medians)")
    print(f"  static ceiling ({CEILING}, measured before each page): median "
          f"{statistics.median(results[('cached', CEILING)]):,.0f} req/s, "
          f"lowest {min(results[('cached', CEILING)]):,.0f}, highest {max(results[('cached', CEILING)]):,.0f}")
    header = (f"  {'page':<22} {'cached req/s':>12} {'ratio':>6} {'p99 ms':>7}   {'rendered req/s':>14} {'ratio':>6} "
              f"{'p99 ms':>7} {'before':>7} {'×':>5}   {'queries small/large (cold; warm)':<32} bars")
    print(header)
    failed = []
    for page in pages():
        cached, rendered = median("cached", page, "rps"), median("rendered", page, "rps")
        c_ratio, r_ratio = median("cached", page, "ratio"), median("rendered", page, "ratio")
        before = BEFORE[page]
        small, large = query_counts.get("small", {}).get(page), query_counts.get("large", {}).get(page)
        queries = f"{small[0] if small else '?'}/{large[0] if large else '?'}; {small[1] if small else '?'}/{large[1] if large else '?'}"
        marks = []
        marks.append(f"cached ≥ {CACHED_BAR}: {'ok' if c_ratio >= CACHED_BAR else 'MISSED'}")
        if c_ratio < CACHED_BAR:
            failed.append(f"{page} cached")
        if page in BARS:
            ok = rendered >= BARS[page]
            marks.append(f"rendered ≥ {BARS[page]}: {'ok' if ok else 'MISSED'}")
            if not ok:
                failed.append(f"{page} rendered")
        if small and large and small != large:
            marks.append("queries differ")
            failed.append(f"{page} queries")
        errors = sum(r["errors"] + r["non2xx"] for kind in servers for r in results[(kind, page)])
        if errors:
            marks.append(f"{errors} errors/non-2xx")
        print(f"  {_pad(page, 22)} {cached:>12,.0f} {c_ratio:>6.2f} {median('cached', page, 'p99'):>7.1f}   "
              f"{rendered:>14,.0f} {r_ratio:>6.2f} {median('rendered', page, 'p99'):>7.1f} {before:>7} "
              f"{rendered / before:>5.1f}   {queries:<32} {'; '.join(marks)}")
    print(f"  ({{article}} = {filled['article']}, {{event}} = {filled['event']}; 'before': the issue's figures, "
          "rendered every time; queries: cold = nothing kept rendered, warm = kept parts in place)")
    print("  all bars met" if not failed else "  bars missed: " + ", ".join(failed))


if __name__ == "__main__":
    main()
