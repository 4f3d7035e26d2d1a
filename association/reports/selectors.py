"""Reads of the reporting framework: the dashboard's figures and charts, and report jobs.

The dashboard knows no app: its charts are the tables with a chart that the registered
report sections return for the year. Section results and headline figures are cached
briefly, so the page costs a handful of queries however large the data.
"""

import logging
from dataclasses import dataclass, field

from django.core.cache import cache

from association import extensions, reporting
from association.models import ReportJob
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


def _section_cache_key(section_key: str, year: int) -> str:
    return f"reports:dashboard:v{CACHE_VERSION}:{year}:{section_key}"


def section_tables(year: int, *, refresh: bool = False) -> list[tuple[reporting.Section, list[Table] | None]]:
    """Every registered section's tables for the year (None when the section failed).

    ``refresh`` builds them anew and refills the cache (the beat task that keeps the
    dashboard warm), so leaders never wait for every section to run."""
    all_sections = reporting.sections()
    keys = {s.key: _section_cache_key(s.key, year) for s in all_sections}
    cached = {} if refresh else cache.get_many(list(keys.values()))
    out = []
    for section in all_sections:
        tables = cached.get(keys[section.key])
        if tables is None:
            try:
                tables = normalize(section.build(ReportParams(year=year)))
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


def dashboard_sections(year: int) -> list[DashboardSection]:
    sections = []
    for section, tables in section_tables(year):
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


def recent_jobs(limit: int = 8):
    return ReportJob.objects.select_related("county", "requested_by").order_by("-created")[:limit]
