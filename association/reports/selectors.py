"""Reads of the reporting framework: the dashboard's figures and charts, and report jobs.

The dashboard knows no app: its charts are the tables with a chart that the registered
report sections return for the year. Section results and headline figures are cached
briefly, so the page costs a handful of queries however large the data.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count

from association import extensions, reporting, scoping
from association.models import Organization, ReportJob
from association.reporting import ReportParams, Table

from ..formatting import format_cell, format_number, is_number
from .runner import normalize
from .svg import ChartData, render

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300
CACHE_VERSION = 1
BAR_LIMIT = 12
PIE_LIMIT = 8
FAILED = False  # cached for a minute so a failing section is not retried on every view


@dataclass
class DashboardChart:
    title: str
    note: str
    svg: str
    columns: list[str]
    rows: list[list]
    truncated: bool = False


@dataclass
class DashboardSection:
    key: str
    title: str
    charts: list[DashboardChart] = field(default_factory=list)
    failed: bool = False


def headline_figures() -> list[dict]:
    """[{label, value, unit}] from every app's headline figures, cached for a few minutes."""
    key = f"reports:headline:v{CACHE_VERSION}"
    figures = cache.get(key)
    if figures is None:
        figures = []
        for entry in extensions.headline_figures():
            try:
                figures += [
                    {"label": str(label), "value": value, "display": format_number(value), "unit": str(unit)}
                    for label, value, unit in entry.func()
                ]
            except Exception:
                logger.exception("headline figures %s failed", entry.name)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _section_cache_key(section_key: str, year: int, unit_id: int | None = None) -> str:
    return f"reports:dashboard:v{CACHE_VERSION}:{year}:{section_key}" + (f":u{unit_id}" if unit_id else "")


def section_tables(year: int, *, refresh: bool = False, unit_id: int | None = None
                   ) -> list[tuple[reporting.Section, list[Table] | None]]:
    """Every registered section's tables for the year (None when the section failed); a
    unit's (``unit_id``) count only its subtree's work.

    ``refresh`` builds them anew and refills the cache (the beat task that keeps the
    dashboard warm), so leaders never wait for every section to run."""
    all_sections = reporting.sections()
    keys = {s.key: _section_cache_key(s.key, year, unit_id) for s in all_sections}
    cached = {} if refresh else cache.get_many(list(keys.values()))
    out = []
    for section in all_sections:
        tables = cached.get(keys[section.key])
        if tables is None:
            try:
                tables = normalize(section.build(ReportParams(year=year, unit_id=unit_id)))
            except Exception:
                logger.exception("dashboard: section %s failed", section.key)
                tables = FAILED
            cache.set(keys[section.key], tables, CACHE_SECONDS if tables is not FAILED else 60)
        out.append((section, None if tables is FAILED else tables))
    return out


def chart_data(table: Table) -> tuple[ChartData | None, list[list], bool]:
    """The table as chart data, trimmed to what a chart can show; (data, rows shown, trimmed)."""
    numeric = [
        i for i in range(1, len(table.columns))
        if any(i < len(r) and r[i] is not None for r in table.rows)
        and all(i >= len(r) or r[i] is None or is_number(r[i]) for r in table.rows)
    ]
    if not table.rows or not numeric:
        return None, table.rows, False
    if table.chart == "pie" and not any(float(r[numeric[0]] or 0) for r in table.rows):
        # Nothing to share out (a unit's year without sign-ups, the city's registry seen by a
        # unit): an empty grey disc says nothing; the report's table still lists the zeros.
        return None, table.rows, False
    rows, trimmed = list(table.rows), False
    if table.chart == "pie":
        numeric = numeric[:1]
        if len(rows) > PIE_LIMIT:
            rows.sort(key=lambda r: -float(r[numeric[0]] or 0))
            rest = sum(float(r[numeric[0]] or 0) for r in rows[PIE_LIMIT - 1:])
            rows = [*rows[: PIE_LIMIT - 1], ["其他", *([None] * (numeric[0] - 1)), rest]]
            trimmed = True
    elif table.chart == "bar" and len(rows) > BAR_LIMIT:
        rows = sorted(rows, key=lambda r: -float(r[numeric[0]] or 0))[:BAR_LIMIT]
        trimmed = True
    elif table.chart == "line" and len(rows) > 36:
        rows, trimmed = rows[-36:], True
    series = [(table.columns[i], [float(r[i] or 0) if i < len(r) else 0.0 for r in rows]) for i in numeric]
    # A series that is zero throughout only clutters the chart; the table still has it.
    series = [s for s in series if any(s[1])] or series[:1]
    categories = [str(r[0]) if r[0] is not None else "未注明" for r in rows]
    return ChartData(table.chart, categories, series), rows, trimmed


def dashboard_sections(year: int, unit_id: int | None = None) -> list[DashboardSection]:
    sections = []
    for section, tables in section_tables(year, unit_id=unit_id):
        item = DashboardSection(section.key, str(section.title), failed=tables is None)
        for table in tables or []:
            if not table.chart:
                continue
            data, rows, trimmed = chart_data(table)
            if data is None:
                continue
            shown = [[format_cell(v) for v in row] for row in rows]
            item.charts.append(
                DashboardChart(table.title, table.note, render(data, table.title), table.columns, shown, trimmed)
            )
        if item.charts or item.failed:
            sections.append(item)
    return sections


def recent_jobs(user, limit: int = 8):
    """The latest report jobs the user may see (a unit's: its own unit's only)."""
    jobs = ReportJob.objects.select_related("county", "unit", "requested_by").order_by("-created")
    return scoping.scope(jobs, user)[:limit]


BREAKDOWN_ROWS = 20


@dataclass
class UnitOverview:
    """A unit's figures for the year over its subtree, and the same for each unit below it."""

    figures: list[dict]
    columns: list[str]
    rows: list[list]
    others: int = 0
    units_below: int = 0  # the units directly below (listed or not)
    listed_below: int = 0  # of them, those whose work the rows break out

    @property
    def quiet_below(self) -> int:
        """The units directly below with none of this work in the year (not in the rows)."""
        return max(self.units_below - self.listed_below, 0)


def unit_overview(year: int, unit_id: int | None = None) -> UnitOverview:
    """Each registered unit figure (``extensions.unit_figure``) for the unit's subtree (the
    whole city for None), broken out by the units directly below it: one grouped query per
    figure, cached for a few minutes."""
    root = unit_id or scoping.city_unit_id()
    key = f"reports:units:v{CACHE_VERSION}:{year}:{unit_id or 0}:{root or 0}"
    found = cache.get(key)
    if found is not None:
        return found
    params = ReportParams(year=year, unit_id=unit_id)
    entries = extensions.unit_figures()
    below = scoping.top_below(root) if root else {}
    per_child: dict[int, list[int]] = defaultdict(lambda: [0] * len(entries))
    figures = []
    for i, entry in enumerate(entries):
        queryset = params.scoped(entry.rows(params))
        path = scoping.owner_path(queryset.model)
        total = 0
        for owner, n in queryset.order_by().values_list(path).annotate(n=Count("pk")).values_list(path, "n"):
            total += n
            top = below.get(owner)
            if top is not None:
                per_child[top][i] += n
        figures.append({"label": str(entry.label), "value": total, "display": format_number(total), "unit": str(entry.unit)})
    names = dict(Organization.objects.filter(pk__in=per_child).values_list("pk", "name"))
    ranked = sorted(per_child.items(), key=lambda item: (-sum(item[1]), names.get(item[0], "")))
    rows = [[names.get(pk, ""), *values] for pk, values in ranked[:BREAKDOWN_ROWS]]
    rest = ranked[BREAKDOWN_ROWS:]
    if rest:
        rows.append([f"其余 {len(rest)} 个单位", *[sum(v[i] for _pk, v in rest) for i in range(len(entries))]])
    own = [f["value"] - sum(v[i] for v in per_child.values()) for i, f in enumerate(figures)]
    if any(own):
        rows.insert(0, ["本级", *own])
    overview = UnitOverview(
        figures, ["单位", *[f"{e.label}（{e.unit}）" for e in entries]],
        [[row[0], *[format_number(v) for v in row[1:]]] for row in rows], len(rest),
        units_below=len(set(below.values())), listed_below=len(per_child),
    )
    cache.set(key, overview, CACHE_SECONDS)
    return overview
