"""开放数据: the tables the association publishes for anyone to download (``/open-data/``).

The apps register their tables with ``extensions.open_dataset`` (``rows(year)`` of public
records only: nothing personal, nothing unpublished); the core adds the organisation
directory and the headline figures. Each table is served as

- CSV in UTF-8 with a byte-order mark, so that Excel and WPS in Chinese open it as UTF-8
  rather than as GBK garble; every text cell that a spreadsheet would take for a formula
  (``=``, ``+``, ``-``, ``@``, their full-width forms…: ``spreadsheet.looks_like_formula``)
  starts with an apostrophe, OWASP's advice for CSV, whose cells carry no "text" mark;
- JSON with the licence, the source and the column headings beside the rows;

at one stable address per year for a yearly table (``/open-data/2025/events.csv``), the
current state for the others (``/open-data/organizations.csv``). A year before
``FIRST_YEAR`` or after the current one is a 404, not an empty file: an address that
answers is one whose contents are meant.

Served cheaply: the file is made once and kept in the cache for ``CACHE_SECONDS``; each
answer has an ``ETag`` (a conditional request that still matches gets 304 with no body) and
may be kept by browsers and proxies, longer for a year that is over.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext_lazy as _

from . import extensions, selectors
from .spreadsheet import looks_like_formula, safe_value

FIRST_YEAR = 2020  # the first year whose records the portal holds
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
SOURCE = "濮阳市科学技术协会"
CACHE_SECONDS = 600
MAX_AGE_CURRENT = 600  # the current state, and the year under way
MAX_AGE_PAST = 86400  # a year that is over changes only when a record is corrected
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def licence_note() -> str:
    return f"本数据按 {LICENCE} 开放，使用时请注明来源：{SOURCE}。"


def years() -> list[int]:
    """The years a yearly table is published for, latest first."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def dataset(key: str) -> extensions.OpenDataset:
    found = next((d for d in extensions.open_datasets() if d.key == key), None)
    if found is None:
        raise Http404("没有这项开放数据")
    return found


# --- the files -----------------------------------------------------------------------------


def csv_cell(value) -> str:
    """One CSV cell: text as data, never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    value = safe_value(value)
    text = value if isinstance(value, str) else str(value)
    return f"'{text}" if isinstance(value, str) and looks_like_formula(text) else text


def as_csv(data: extensions.OpenDataset, rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for _key, heading in data.columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(key)) for key, _heading in data.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_json(data: extensions.OpenDataset, rows: list[dict], year: int | None) -> bytes:
    document = {
        "dataset": data.key,
        "title": data.label,
        "description": data.description,
        "year": year,
        "licence": {"name": LICENCE, "url": LICENCE_URL, "note": licence_note()},
        "source": SOURCE,
        "columns": [{"key": key, "heading": heading} for key, heading in data.columns],
        "rows": [{key: row.get(key) for key, _heading in data.columns} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, cls=DjangoJSONEncoder).encode("utf-8")


@dataclass(frozen=True)
class File:
    body: bytes
    etag: str


def make_file(data: extensions.OpenDataset, year: int | None, fmt: str) -> File:
    """The file's bytes and ETag, made at most once per ``CACHE_SECONDS`` however many ask."""
    key = f"open-data:{data.key}:{year or 'current'}:{fmt}"
    found = cache.get(key)
    if found is None:
        rows = list(data.rows(year))
        body = as_csv(data, rows) if fmt == "csv" else as_json(data, rows, year)
        found = File(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        cache.set(key, found, CACHE_SECONDS)
    return found


def file_name(data: extensions.OpenDataset, year: int | None, fmt: str) -> str:
    return f"{data.key}-{year}.{fmt}" if year else f"{data.key}.{fmt}"


def file_url(data: extensions.OpenDataset, year: int | None, fmt: str) -> str:
    if year:
        return reverse("open-data-yearly", kwargs={"year": year, "key": data.key, "fmt": fmt})
    return reverse("open-data-current", kwargs={"key": data.key, "fmt": fmt})


# --- the views -----------------------------------------------------------------------------


def index(request):
    current = []
    yearly = []
    for data in extensions.open_datasets():
        entry = {"data": data, "csv": file_url(data, None, "csv"), "json": file_url(data, None, "json")}
        if data.yearly:
            entry["years"] = [{"year": y, "csv": file_url(data, y, "csv"), "json": file_url(data, y, "json")}
                              for y in years()]
            yearly.append(entry)
        else:
            current.append(entry)
    response = render(request, "association/open_data.html", {
        "yearly": yearly, "current": current, "licence_note": licence_note(), "licence": LICENCE,
        "licence_url": LICENCE_URL,
    })
    patch_cache_control(response, public=True, max_age=MAX_AGE_CURRENT)
    return response


def _serve(request, data: extensions.OpenDataset, year: int | None, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    made = make_file(data, year, fmt)
    response = get_conditional_response(request, etag=made.etag)
    if response is None:
        response = HttpResponse(made.body, content_type=FORMATS[fmt])
        disposition = "attachment" if fmt == "csv" else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{file_name(data, year, fmt)}"'
    response["ETag"] = made.etag
    past = year is not None and year < timezone.localdate().year
    patch_cache_control(response, public=True, max_age=MAX_AGE_PAST if past else MAX_AGE_CURRENT)
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site's page may read it
    return response


def yearly_file(request, year: int, key: str, fmt: str):
    data = dataset(key)
    if not data.yearly or not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404("这一年没有这项开放数据")
    return _serve(request, data, year, fmt)


def current_file(request, key: str, fmt: str):
    data = dataset(key)
    if data.yearly:
        raise Http404("这项数据按年度发布，请在地址中写明年度")
    return _serve(request, data, None, fmt)


# --- the core's own tables ------------------------------------------------------------------


@extensions.open_dataset(
    90, key="organizations", label=_("组织名录"), yearly=False,
    description=_("市科协、县（区）科协、学会、农技协、科普e站与科普教育基地等在册组织，与网站“组织体系”页相同。"),
    columns=[("id", "编号"), ("name", "名称"), ("short_name", "简称"), ("kind", "类别"), ("parent", "上级单位"),
             ("county", "所在县（区）"), ("description", "简介")],
)
def organization_rows(year=None):
    for org in selectors.organization_directory():
        yield {
            "id": org.pk, "name": org.name, "short_name": org.short_name, "kind": org.get_kind_display(),
            "parent": org.parent.name if org.parent_id else "", "county": org.county.name if org.county_id else "",
            "description": org.description,
        }


@extensions.open_dataset(
    95, key="headline-figures", label=_("主要数据"), yearly=False,
    description=_("首页“数据一览”的各项数字，为当前数据：有的是本年度的（名称中写明年度），有的是累计的；"
                  "这些数字不能按往年重新计算，往年数字请查阅各年度的工作报告和统计年报。"),
    columns=[("label", "项目"), ("value", "数值"), ("unit", "单位")],
)
def headline_rows(year=None):
    for figure in selectors.headline_figures():
        yield {"label": figure["label"], "value": figure["value"], "unit": figure["unit"]}
