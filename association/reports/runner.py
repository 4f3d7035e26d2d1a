"""Running the registered sections of a report, and saying in Chinese why one failed."""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, OperationalError
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError

from association.reporting import ReportParams, Section, Table

logger = logging.getLogger(__name__)

# Faults that pass on their own (a database restart, a Redis hiccup): the task retries
# them with back-off instead of failing the job.
TRANSIENT_FAULTS = (OperationalError, RedisConnectionError)
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class SectionResult:
    key: str
    title: str
    tables: list[Table]


class SectionFailed(Exception):
    def __init__(self, section: Section, exc: BaseException):
        self.section = section
        self.reason = describe_error(exc)
        super().__init__(_("“%(section)s”部分统计失败：%(reason)s") % {"section": section.title, "reason": self.reason})


def describe_error(exc: BaseException) -> str:
    """A Chinese sentence for a staff member; the technical detail goes to the log."""
    text = str(exc).strip()
    if text and CJK.search(text):
        message = text
    elif isinstance(exc, ZeroDivisionError):
        message = _("计算时出现除以零")
    elif isinstance(exc, KeyError):
        message = _("缺少数据项 %(key)s") % {"key": text}
    elif isinstance(exc, DatabaseError):
        message = _("数据库查询出错（%(detail)s）") % {"detail": text.splitlines()[0] if text else type(exc).__name__}
    elif isinstance(exc, TypeError | ValueError | AttributeError):
        message = _("数据类型或取值不正确（%(detail)s）") % {"detail": f"{type(exc).__name__}: {text}"}
    else:
        message = _("程序出错（%(detail)s）") % {"detail": type(exc).__name__ + (f": {text}" if text else "")}
    return message[:500]


def _plain(value):
    """Cell values the writers understand: numbers, dates, text; lazy strings resolved."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    return str(value)


def normalize(tables) -> list[Table]:
    if not isinstance(tables, list | tuple) or not all(isinstance(t, Table) for t in tables):
        raise TypeError(_("报表部分应返回 Table 列表"))
    return [
        Table(
            title=str(t.title),
            columns=[str(c) for c in t.columns],
            rows=[[_plain(v) for v in row] for row in t.rows],
            chart=t.chart if t.chart in ("bar", "line", "pie") else "",
            note=str(t.note or ""),
        )
        for t in tables
    ]


def run_section(section: Section, params: ReportParams) -> SectionResult:
    try:
        tables = normalize(section.build(params))
    except (*TRANSIENT_FAULTS, SoftTimeLimitExceeded):
        raise
    except Exception as exc:
        logger.exception("report section %s failed", section.key)
        raise SectionFailed(section, exc) from exc
    return SectionResult(section.key, str(section.title), tables)


def run_sections(
    sections: list[Section], params: ReportParams, on_progress: Callable[[int, Section], None] | None = None
) -> list[SectionResult]:
    results = []
    for done, section in enumerate(sections):
        if on_progress:
            on_progress(done, section)
        results.append(run_section(section, params))
    return results
