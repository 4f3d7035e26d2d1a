"""The leaders' dashboard: key figures, charts drawn from the registered sections, a table
behind every chart, and only for staff with the permission."""

import pytest
from django.contrib.auth.models import Group

from association import extensions, reporting
from association.reporting import Table
from tests.association.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    saved = dict(reporting._sections)
    reporting._sections.clear()
    calls = []

    @reporting.register_section("selftest_events", "测试活动", order=1)
    def events(params):
        calls.append(params)
        return [
            Table("各月活动场次与受益人数", ["月份", "活动场次", "受益人数"], [["1月", 3, 1200], ["2月", 5, 800]], chart="line"),
            Table("活动明细", ["活动", "场次"], [["不画图的表", 1]]),
        ]

    @reporting.register_section("selftest_orders", "测试点单", order=2)
    def orders(params):
        return [Table("点单状态", ["状态", "订单数"], [["已完成", 9], ["<b>已派单</b>", 3]], chart="bar")]

    @reporting.register_section("selftest_broken", "测试人才", order=3)
    def broken(params):
        raise RuntimeError("boom")

    yield calls
    reporting._sections.clear()
    reporting._sections.update(saved)


@pytest.fixture
def figures():
    saved = list(extensions._headline_figures)

    @extensions.headline_figure(order=1)
    def test_figures():
        return [("科普志愿者", 2034, "人"), ("受益群众", 200000, "人次")]

    yield
    extensions._headline_figures[:] = saved


def leader():
    user = StaffFactory(username="leader-dash")
    user.groups.add(Group.objects.get(name="领导"))
    return user


def test_leader_sees_key_figures_and_a_chart_with_its_table_for_each_charted_table(client, sections, figures):
    client.force_login(leader())
    response = client.get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2,034" in page and "科普志愿者" in page
    assert "200,000" in page
    assert page.count('<svg class="chart-svg"') == 2  # the line and the bar; the plain table has none
    assert "<caption>各月活动场次与受益人数（数据表）</caption>" in page
    assert '<th scope="row">1月</th><td>3</td><td>1,200</td>' in page
    assert "不画图的表" not in page


def test_section_data_is_escaped_in_the_chart_and_the_table(client, sections):
    client.force_login(leader())
    page = client.get("/dashboard/").content.decode()
    assert "<b>已派单</b>" not in page
    assert "&lt;b&gt;已派单&lt;/b&gt;" in page


def test_a_failing_section_is_named_and_the_rest_of_the_dashboard_still_shows(client, sections):
    client.force_login(leader())
    page = client.get("/dashboard/").content.decode()
    assert "“测试人才”的数据暂时无法统计" in page
    assert "点单状态" in page


def test_dashboard_is_for_this_year_and_other_years_on_request(client, sections):
    from django.utils import timezone

    this_year = timezone.localdate().year
    client.force_login(leader())
    client.get("/dashboard/")
    client.get("/dashboard/", {"year": this_year - 1})
    client.get("/dashboard/", {"year": "<script>"})
    assert [p.year for p in sections] == [this_year, this_year - 1]  # the third came from the cache


def test_section_results_are_cached_so_the_dashboard_costs_few_queries(client, sections, django_assert_max_num_queries):
    client.force_login(leader())
    client.get("/dashboard/")
    with django_assert_max_num_queries(8):
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert len(sections) == 1


def test_staff_without_the_permission_and_anonymous_visitors_are_kept_out(client):
    assert client.get("/dashboard/").status_code == 302
    client.force_login(StaffFactory(username="clerk"))
    assert client.get("/dashboard/").status_code == 403
    office = StaffFactory(username="office-clerk")
    office.groups.add(Group.objects.get(name="办公室"))
    client.force_login(office)
    assert client.get("/dashboard/").status_code == 200  # 办公室 holds every association right


def test_a_leader_with_two_step_log_in_on_must_have_passed_it(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = leader()
    TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    client.force_login(user)  # a password-only session
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/?next=%2Fdashboard%2F"


@pytest.mark.django_db
def test_warming_task_refills_the_dashboard_cache_so_leaders_never_wait():
    from django.core.cache import cache
    from django.utils import timezone

    from association.reporting import sections
    from association.reports.selectors import _section_cache_key
    from association.tasks import warm_dashboard

    year = timezone.localdate().year
    cache.clear()
    assert warm_dashboard.apply().get() == len(sections())
    assert all(cache.get(_section_cache_key(s.key, year)) is not None for s in sections())


def test_line_chart_month_labels_do_not_run_into_each_other():
    from association.reports.svg import ChartData, render

    months = [f"2026年{m}月" for m in range(1, 13)]
    svg = str(render(ChartData("line", months, [("活动场次", [float(m % 3) for m in range(12)])]), "活动按月份"))
    shown = [m for m in months if f">{m}<" in svg]
    assert 4 <= len(shown) <= 6 and shown[0] == "2026年1月"


def test_line_chart_gives_a_small_count_its_own_axis_beside_a_large_total():
    import re

    from association.reports.svg import ChartData, render

    months = [f"2026年{m}月" for m in range(1, 7)]
    events, people = [0.0, 2.0, 5.0, 1.0, 3.0, 0.0], [0.0, 400.0, 1620.0, 90.0, 800.0, 0.0]
    svg = str(render(ChartData("line", months, [("活动场次", events), ("受益人次", people)]), "活动按月份"))
    assert ">活动场次<" in svg and ">受益人次<" in svg
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(lines) == 2
    heights = [[float(p.split(",")[1]) for p in line.split()] for line in lines]
    # each line rises over most of its own panel: 5 场次 is drawn as tall as 1,620 人次
    assert all(max(h) - min(h) > 80 for h in heights)
    assert max(heights[0]) < min(heights[1])  # the count's panel sits above the total's
    assert ">5<" in svg and ">2,000<" in svg  # each axis is labelled in its own scale
