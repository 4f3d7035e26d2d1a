"""Lighthouse (mobile) on the portal served as in production.

    .venv/bin/python bench/lighthouse.py            # home, an event page, the volunteer form
    .venv/bin/python bench/lighthouse.py /news/     # other addresses

What it does: the demo data in its own database (``BENCH_DB_PREFIX``_lighthouse, default
``bench_lighthouse``; media under .cache/lighthouse-media), collectstatic (compressed files),
gunicorn with DEBUG=0 and HTTPS=0 serving static files (WhiteNoise) and media
(SERVE_MEDIA=1), pages gzipped by the middleware; then Lighthouse from the npm registry,
installed once into .cache/lighthouse (gitignored), with Debian's Chromium (CHROME_PATH,
default /usr/bin/chromium), mobile preset, headless. It prints per page the performance
and accessibility scores, LCP, requests and bytes transferred (home's target: ≤ 300 KB),
and the data size. JSON reports are kept in bench/results/lighthouse/.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, Bench  # noqa: E402

LIGHTHOUSE_VERSION = "12"
CACHE = ROOT / ".cache" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "lighthouse"
HOME_TARGET_KB = 300


def lighthouse_bin() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", f"lighthouse@{LIGHTHOUSE_VERSION}"],
                       cwd=CACHE, check=True)
    return binary


def prepare(bench: Bench) -> dict:
    subprocess.run([sys.executable, "scripts/check_services.py"], cwd=ROOT, env=bench.env, check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", bench.db_name], cwd=ROOT, env=bench.env,
                   capture_output=True, check=False)  # already there: fine
    bench.manage("migrate", "--noinput", "-v", "0")
    bench.manage("collectstatic", "--noinput", "-v", "0")
    bench.manage("load_demo")
    import django

    django.setup()
    from association.models import Article
    from events.models import Event

    event = Event.objects.filter(status=Event.Status.PUBLISHED, registration_open=True).order_by("start").last()
    return {
        "sizes": {"articles": Article.objects.count(), "events": Event.objects.count()},
        "event": event.get_absolute_url() if event else None,
    }


def audit(binary: Path, url: str, name: str) -> dict:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    subprocess.run(
        [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-path={chrome}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
         "--only-categories=performance,accessibility", "--form-factor=mobile", "--screenEmulation.mobile",
         "--throttling-method=simulate"],
        check=True, env={**os.environ, "CHROME_PATH": chrome},
    )
    report = json.loads(out.read_text())
    audits = report["audits"]
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    failed = [a for a in report["categories"]["accessibility"]["auditRefs"]
              if a["weight"] and audits[a["id"]]["score"] not in (None, 1)]
    return {
        "page": url,
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "requests": len(requests),
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "a11y_failed": [a["id"] for a in failed],
    }


def main() -> None:
    bench = Bench("lighthouse", "demo", db_name=f"{os.environ.get('BENCH_DB_PREFIX', 'bench')}_lighthouse")
    media = ROOT / ".cache" / "lighthouse-media"
    bench.env.update({"SERVE_MEDIA": "1", "MEDIA_ROOT": str(media), "PRIVATE_MEDIA_ROOT": str(media / "private"),
                      "PUBLIC_PAGE_CACHE_SECONDS": "30"})
    os.environ.update(bench.env)
    binary = lighthouse_bin()
    facts = prepare(bench)
    paths = sys.argv[1:] or ["/", facts["event"] or "/events/", "/volunteers/register/"]
    proc, base = bench.gunicorn(2)
    rows = []
    try:
        for index, path in enumerate(paths):
            for _ in range(2):  # warm the page once (cache, connections)
                subprocess.run(["curl", "-s", "-o", "/dev/null", base + path], check=False)
            row = audit(binary, base + path, f"{index}-{path.strip('/').replace('/', '_') or 'home'}")
            row["page"] = path
            rows.append(row)
    finally:
        proc.terminate()
        proc.wait(10)
    print("\n== Lighthouse (mobile, simulated throttling), gunicorn DEBUG=0, compression on ==")
    print("  data: load_demo: " + ", ".join(f"{k}={v}" for k, v in facts["sizes"].items()))
    print(f"  {'page':<34} {'perf':>5} {'a11y':>5} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'reqs':>5} {'KB':>7}")
    for r in rows:
        print(f"  {r['page']:<34} {r['performance']:>5} {r['accessibility']:>5} {r['lcp_s']:>6.2f} {r['tbt_ms']:>7.0f}"
              f" {r['cls']:>6.3f} {r['requests']:>5} {r['kb']:>7.1f}")
        if r["a11y_failed"]:
            print(f"    accessibility audits failing: {', '.join(r['a11y_failed'])}")
    home = next((r for r in rows if r["page"] == "/"), None)
    if home:
        verdict = "within" if home["kb"] <= HOME_TARGET_KB else "over"
        print(f"  home: {home['kb']:.0f} KB transferred, {verdict} the {HOME_TARGET_KB} KB target")
    print(f"  reports: {RESULTS}/")


if __name__ == "__main__":
    main()
