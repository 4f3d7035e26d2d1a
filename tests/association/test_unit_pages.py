"""What a unit's account reads on its pages: which unit's records it works with, no section
left empty because the thing is the city's, and no wording meant for the city."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from association.roles import LEADERS, POPSCI
from tests.association.factories import StaffFactory
from tests.events.factories import PastEventFactory
from tests.talents.factories import TalentFactory

pytestmark = pytest.mark.django_db


def city_staff(group: str, username: str):
    user = StaffFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_the_admin_tells_a_units_account_whose_records_it_lists(client, tree):
    client.force_login(tree.staff_a)
    html = client.get("/admin/").content.decode()
    assert "（华龙区科协）。" in html  # beside the person's name, on every admin page
    assert "您使用<strong>华龙区科协</strong>的单位账号" in html
    assert 'href="/admin/talents/nomination/nominate/"' in html  # where its nominations are made

    client.force_login(city_staff(POPSCI, "popsci_city"))
    html = client.get("/admin/").content.decode()
    assert "单位账号：" not in html and "unit-scope-note" not in html


def test_a_units_dashboard_shows_no_empty_chart_and_says_which_units_below_had_no_work(client, tree):
    year = timezone.localdate().year
    start = datetime(year, 3, 5, 9, tzinfo=timezone.get_current_timezone())
    PastEventFactory(title="华龙区科技周", organiser=tree.county_a, start=start, end=start + timedelta(hours=2))
    TalentFactory.create_batch(2)  # the city's registry

    client.force_login(tree.staff_a)
    page = client.get("/dashboard/", {"year": year})
    html = page.content.decode()
    keys = [section.key for section in page.context["sections"]]
    assert "talents_registry" not in keys  # none of it is the unit's: no grey, empty pie
    charts = [chart for section in page.context["sections"] for chart in section.charts]
    assert charts and all(chart.rows for chart in charts)
    assert "本单位及下级单位中现有有效单位" in html and "全市现有有效单位" not in html
    assert [row[0] for row in page.context["overview"].rows] == ["本级"]
    assert "下级 1 个单位本年暂无上表所列工作。" in html  # 岳村镇科协

    client.force_login(city_staff(LEADERS, "leader_city"))
    page = client.get("/dashboard/", {"year": year})
    assert "talents_registry" in [section.key for section in page.context["sections"]]
    assert "全市现有有效单位" in page.content.decode()
    assert "本年暂无上表所列工作" not in page.content.decode()


def test_a_units_report_form_says_an_empty_county_means_its_own_work(client, tree):
    client.force_login(tree.staff_a)
    html = client.get("/admin/association/reportjob/add/").content.decode()
    assert "留空表示华龙区科协及下级单位的全部工作" in html and "留空表示全市" not in html

    client.force_login(city_staff(LEADERS, "leader_city"))
    assert "留空表示全市" in client.get("/admin/association/reportjob/add/").content.decode()


def test_a_units_event_form_has_the_outcome_and_photo_sections_of_its_own_events(client, tree):
    client.force_login(tree.staff_a)
    shown = client.get("/admin/events/event/add/").context["inline_admin_formsets"]
    assert [formset.opts.model._meta.model_name for formset in shown] == ["eventoutcome", "eventphoto"]
    client.force_login(city_staff(POPSCI, "popsci_city"))
    shown = client.get("/admin/events/event/add/").context["inline_admin_formsets"]
    assert [formset.opts.model._meta.model_name for formset in shown] == ["eventoutcome", "eventphoto"]
