"""The contract between the reporting framework and the apps' report sections.

Each app writes its sections in its own ``reports.py`` and registers them from its
``AppConfig.ready()``::

    from association.reporting import Table, register_section

    @register_section("events", _("活动"), order=20)
    def events_section(params):
        qs = Event.objects.filter(...)          # aggregate in the database
        return [Table(title=..., columns=[...], rows=[...], chart="bar")]

A section gets :class:`ReportParams` and returns a list of :class:`Table`. The framework
(``association.reports`` and its Celery task) writes one xlsx sheet per section with its
tables and charts, and a printable PDF, without knowing any app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from . import scoping


@dataclass(frozen=True)
class ReportParams:
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    county_id: int | None = None
    # A unit's report (a county 科协's, a 学会's) counts only its own and its subtree's work.
    unit_id: int | None = None

    def scoped(self, queryset):
        """The rows of ``queryset`` this report covers: the unit's subtree for a unit's
        report (the model's declared owner, ``association.scoping``), all for the city's."""
        return scoping.scope_to_unit(queryset, self.unit_id)

    @property
    def start(self) -> date | None:
        if self.date_from:
            return self.date_from
        return date(self.year, 1, 1) if self.year else None

    @property
    def end(self) -> date | None:
        """Last day included."""
        if self.date_to:
            return self.date_to
        return date(self.year, 12, 31) if self.year else None

    def within(self, field: str) -> Q:
        """Rows whose date ``field`` falls in the period (no bound where the period has none)."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lte": self.end})
        return q


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]
    # "bar", "line", "pie" or "" for none: the first column holds the categories and the
    # others the series.
    chart: str = ""
    note: str = ""


@dataclass(order=True)
class Section:
    order: int
    key: str = field(compare=False)
    title: str = field(compare=False)
    build: Callable[[ReportParams], list[Table]] = field(compare=False)


_sections: dict[str, Section] = {}


def register_section(key: str, title, order: int = 100):
    def decorator(func):
        _sections[key] = Section(order, key, title, func)
        return func

    return decorator


def sections() -> list[Section]:
    return sorted(_sections.values())
