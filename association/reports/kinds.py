"""Which reports exist. The annual statistics report (年度工作统计) is the first.

A kind decides its title and which of the registered sections it contains; every kind so
far contains them all. ``notify_leaders`` kinds are e-mailed to the 领导 group when done.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from association import reporting
from association.reporting import ReportParams

from ..formatting import chinese_date


def _range_text(params: ReportParams) -> str:
    return gettext("%(start)s至%(end)s") % {"start": chinese_date(params.start), "end": chinese_date(params.end)}


def _whole_month(params: ReportParams) -> bool:
    start, end = params.date_from, params.date_to
    return bool(
        start and end and start.day == 1 and (start.year, start.month) == (end.year, end.month)
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )


def _annual_title(params: ReportParams) -> str:
    if params.date_from or params.date_to:
        return gettext("工作统计（%(range)s）") % {"range": _range_text(params)}
    if params.year:
        return gettext("%(year)s年度工作统计") % {"year": params.year}
    return gettext("工作统计")


def _monthly_title(params: ReportParams) -> str:
    if _whole_month(params):
        return gettext("%(year)s年%(month)s月工作简报") % {"year": params.date_from.year, "month": params.date_from.month}
    return gettext("工作简报（%(range)s）") % {"range": _range_text(params)}


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: str
    heading: Callable[[ReportParams], str]
    notify_leaders: bool = False
    section_keys: tuple[str, ...] = field(default=())
    # A kind with a layout of its own (an official return) writes its files itself instead
    # of the sections' tables: ``files(params, progress) -> (xlsx bytes, pdf bytes)``, with
    # ``progress(done, label)`` after each of its ``steps``. Such a kind is by year only.
    files: Callable | None = None
    steps: int = 2

    def sections(self) -> list[reporting.Section]:
        """The sections this report runs, in their registered order (all when unrestricted;
        none for a kind that writes its own files)."""
        if self.files is not None:
            return []
        all_sections = reporting.sections()
        if not self.section_keys:
            return all_sections
        return [s for s in all_sections if s.key in self.section_keys]


_kinds: dict[str, ReportKind] = {}


def register_kind(kind: ReportKind) -> ReportKind:
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> ReportKind | None:
    return _kinds.get(key)


def kinds() -> list[ReportKind]:
    return list(_kinds.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in _kinds.values()]


def report_title(key: str, params: ReportParams, *, county_name: str = "") -> str:
    kind = get_kind(key)
    title = kind.heading(params) if kind else str(key)
    return f"{title}（{county_name}）" if county_name else title


ANNUAL = register_kind(ReportKind("annual", _("年度工作统计"), _annual_title))
MONTHLY = register_kind(ReportKind("monthly", _("月度工作简报"), _monthly_title, notify_leaders=True))
