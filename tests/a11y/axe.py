"""axe-core in Playwright: ``violations(page)`` runs the WCAG 2.1 A/AA rules on the page as
it is and returns the critical and serious ones; ``describe`` prints them for a person.

axe-core comes from the npm registry (scripts/setup.sh puts it in .cache/node); the tests
that need it are skipped with a hint when it is missing."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = {"critical", "serious"}


def require_axe():
    if not AXE.exists():
        # In CI (scripts/test.sh installs it) a missing axe-core is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)("axe-core is not installed: run scripts/setup.sh --browser")


def violations(page, impacts=SEVERE):
    """The axe violations of ``impacts`` on ``page`` (each with its nodes' selectors)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async tags => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,"
        " html: n.html.slice(0, 160)}))})); }",
        TAGS,
    )
    return [v for v in result if v["impact"] in impacts]


def describe(where: str, found) -> str:
    lines = []
    for v in found:
        lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']} ({len(v['nodes'])} 处)")
        for node in v["nodes"][:6]:
            summary = " ".join((node["summary"] or "").split())[:220]
            lines.append(f"    {node['target']}  {node['html']}\n        {summary}")
    return "\n".join(lines)
