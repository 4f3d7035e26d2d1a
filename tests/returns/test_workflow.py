"""The return's way: a county fills in its return, the city returns it with a reason, the
county corrects and resubmits, the city accepts, and the accepted return is locked."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from association import roles
from association.models import AuditEntry
from association.states import DomainError
from events.models import Event
from returns import services, workflow
from returns.models import ReturnItem, ReturnValue, StatisticsReturn
from tests.association.factories import StaffFactory
from tests.events.factories import EventOutcomeFactory, PastEventFactory
from tests.volunteers.factories import VolunteerFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def item(table, code, year=YEAR):
    return ReturnItem.objects.get(table__year=year, table__code=table, code=code)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office(tree):
    user = StaffFactory(username="city_office")
    user.groups.add(Group.objects.get(name=roles.OFFICE))
    return user


@pytest.fixture
def county_work(tree):
    """An academic event of 华龙区科协 this year with what it achieved, and a volunteer."""
    event = PastEventFactory(organiser=tree.county_a, county=tree.county_a_area, kind=Event.Kind.ACADEMIC,
                             title="华龙区化工产业学术年会", start=timezone.now().replace(month=6, day=15))
    EventOutcomeFactory(event=event, participants=120)
    VolunteerFactory(unit=tree.county_a, county=tree.county_a_area)
    return event


def form_data(action="save", **typed):
    """What the county types: 机关人数, 主办科技期刊 (the required entered items), 国际学术会议
    and the sign-off."""
    data = {
        f"value_{item('AK表1-1', '07').pk}": typed.get("staff", "12"),
        f"value_{item('DKX表4', '01').pk}": typed.get("journals", "0"),
        f"value_{item('CKX表3', '03').pk}": typed.get("international", "0"),
        "filled_by": typed.get("filled_by", "王统计"),
        "phone": typed.get("phone", "0393-4412345"),
        "head": "李主席",
        "action": action,
    }
    return data


def stored(statistics_return, table, code):
    return ReturnValue.objects.get(statistics_return=statistics_return, item=item(table, code)).value


def test_the_county_fills_in_the_city_returns_it_the_county_resubmits_and_the_city_accepts(tree, office, county_work):
    county = client_for(tree.admin_a)
    url = reverse("returns:fill", args=[YEAR])

    # The county opens this year's return: its own work is counted, with the rule and a way to the records.
    page = county.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"华龙区科协 · {YEAR}年科协综合统计年报" in html
    assert "CKX表3 学术交流活动" in html and "举行学术交流活动" in html
    assert "学术年会/论坛、产业技术大会、座谈会" in html
    assert "查看来源" in html and f"start__year={YEAR}" in html
    statistics_return = StatisticsReturn.objects.get(organization=tree.county_a, year=YEAR)
    assert stored(statistics_return, "CKX表3", "01") == 1
    assert stored(statistics_return, "CKX表3", "02") == 120
    assert stored(statistics_return, "EKX表5", "07") == 1
    assert f'name="value_{item("CKX表3", "01").pk}"' not in html  # counted, not typed
    assert f'name="value_{item("CKX表3", "03").pk}"' in html

    # 其中：国际学术会议 larger than the events held: refused, in Chinese, beside the field, all typed kept.
    page = county.post(url, form_data("submit", international="5", staff="12"))
    assert page.status_code == 400
    html = page.content.decode()
    assert "未能报送" in html
    assert "CKX表3第03行“其中：国际学术会议”是“举行学术交流活动”（第01行）的其中项，不能大于它（1）。" in html
    assert 'value="5"' in html and 'value="12"' in html and 'value="王统计"' in html
    statistics_return.refresh_from_db()
    assert statistics_return.status == StatisticsReturn.Status.DRAFT

    # Corrected: submitted.
    page = county.post(url, form_data("submit", international="1"))
    assert page.status_code == 302
    statistics_return.refresh_from_db()
    assert statistics_return.status == StatisticsReturn.Status.SUBMITTED
    assert stored(statistics_return, "AK表1-1", "07") == 12
    assert "已报送" in county.get(url).content.decode()

    # The city sees it among the returns below and returns it; a reason is required.
    city = client_for(office)
    listing = city.get(reverse("returns:index")).content.decode()
    assert "华龙区科协" in listing and "已报送" in listing and "濮阳县科协（未填报）" in listing
    review_url = reverse("returns:review", args=[statistics_return.pk])
    review = city.get(review_url).content.decode()
    assert "退回（需填写原因）" in review and "审核通过" in review
    page = city.post(review_url, {"action": "send_back", "reason": "  "})
    assert page.status_code == 409 and "退回时请填写退回原因。" in page.content.decode()
    assert city.post(review_url, {"action": "send_back", "reason": "机关人数与编制不符，请核实。"}).status_code == 302
    statistics_return.refresh_from_db()
    assert statistics_return.status == StatisticsReturn.Status.RETURNED

    # The county reads the reason, corrects and submits again.
    html = county.get(url).content.decode()
    assert "上级退回原因" in html and "机关人数与编制不符，请核实。" in html
    assert county.post(url, form_data("submit", international="1", staff="9")).status_code == 302
    statistics_return.refresh_from_db()
    assert statistics_return.status == StatisticsReturn.Status.SUBMITTED
    assert statistics_return.returned_reason == ""

    # The city accepts.
    assert city.post(review_url, {"action": "accept"}).status_code == 302
    statistics_return.refresh_from_db()
    assert statistics_return.status == StatisticsReturn.Status.ACCEPTED
    assert statistics_return.accepted_by == office
    moves = list(AuditEntry.objects.filter(action=AuditEntry.Action.TRANSITION, object_id=str(statistics_return.pk))
                 .order_by("pk").values_list("to_state", flat=True))
    assert moves == ["submitted", "returned", "submitted", "accepted"]

    # Locked: a change is refused and nothing changes.
    page = county.post(url, form_data("save", international="0", staff="99"))
    assert page.status_code == 409
    assert "已审核通过，不能再修改" in page.content.decode()
    assert stored(statistics_return, "AK表1-1", "07") == 9
    assert stored(statistics_return, "CKX表3", "03") == 1
    with pytest.raises(DomainError):
        workflow.send_back(statistics_return.pk, "再改一次", actor=office)
    # The city's roll-up now counts the county's accepted return.
    rolled = services.roll_up(tree.city.pk, YEAR)
    assert tree.county_a not in rolled.missing
    assert rolled.totals[item("AK表1-1", "07").pk] >= 9


def test_another_county_can_neither_open_nor_see_the_return(tree, county_work):
    statistics_return = services.open_return(tree.county_a.pk, YEAR)
    other = client_for(tree.staff_b)
    assert other.get(reverse("returns:review", args=[statistics_return.pk])).status_code == 404
    assert other.post(reverse("returns:review", args=[statistics_return.pk]), {"action": "accept"}).status_code == 404
    listing = other.get(reverse("returns:index")).content.decode()
    assert "华龙区科协" not in listing
    # Its own return page is its own unit's.
    assert "濮阳县科协 · " in other.get(reverse("returns:fill", args=[YEAR])).content.decode()


def test_a_county_cannot_accept_or_return_its_own_return(tree, county_work):
    county = client_for(tree.admin_a)
    county.get(reverse("returns:fill", args=[YEAR]))
    assert county.post(reverse("returns:fill", args=[YEAR]), form_data("submit")).status_code == 302
    statistics_return = StatisticsReturn.objects.get(organization=tree.county_a, year=YEAR)
    review_url = reverse("returns:review", args=[statistics_return.pk])
    assert "审核通过</button>" not in county.get(review_url).content.decode()
    page = county.post(review_url, {"action": "accept"})
    assert page.status_code == 409
    assert "本单位的统计年报由上级审核" in page.content.decode()
    with pytest.raises(DomainError):
        workflow.send_back(statistics_return.pk, "自己退回", actor=tree.admin_a)
    statistics_return.refresh_from_db()
    assert statistics_return.status == StatisticsReturn.Status.SUBMITTED


def test_the_checks_before_submitting(tree, county_work):
    statistics_return = services.open_return(tree.county_a.pk, YEAR)
    problems = workflow.check_return(statistics_return.pk)
    messages = [p.message for p in problems]
    assert "请填写AK表1-1第07行“机关人数”。" in messages
    assert "请填写填表人。" in messages and "请填写联系电话。" in messages
    workflow.save_entries(statistics_return.pk, {item("AK表1-1", "07").pk: Decimal("-1")},
                          actor=tree.admin_a)
    assert "AK表1-1第07行“机关人数”不能为负数。" in [p.message for p in workflow.check_return(statistics_return.pk)]
    with pytest.raises(DomainError, match="由门户记录统计，不能填写"):
        workflow.save_entries(statistics_return.pk, {item("CKX表3", "01").pk: Decimal(9)}, actor=tree.admin_a)
    with pytest.raises(DomainError, match="只有本单位的工作人员"):
        workflow.save_entries(statistics_return.pk, {}, actor=tree.staff_b)
    with pytest.raises(DomainError, match="机关人数"):
        workflow.submit(statistics_return.pk, actor=tree.admin_a)


def test_a_change_of_more_than_half_on_last_year_needs_a_note(tree, office):
    last = StatisticsReturn.objects.create(organization=tree.county_a, year=YEAR - 1,
                                           status=StatisticsReturn.Status.ACCEPTED)
    ReturnValue.objects.create(statistics_return=last, item=item("AK表1-1", "07", YEAR - 1), value=20)
    statistics_return = services.open_return(tree.county_a.pk, YEAR)
    staff = item("AK表1-1", "07")
    workflow.save_entries(statistics_return.pk, {staff.pk: Decimal(8), item("DKX表4", "01").pk: Decimal(0)},
                          sign_off={"filled_by": "王统计", "phone": "0393-4412345"}, actor=tree.admin_a)
    problems = workflow.check_return(statistics_return.pk)
    assert [p.field for p in problems] == [f"note_{staff.pk}"]
    assert "与上年（20）相比变化超过一半" in problems[0].message
    workflow.save_entries(statistics_return.pk, {}, {staff.pk: "机构改革，编制调整"}, actor=tree.admin_a)
    assert workflow.check_return(statistics_return.pk) == []
    workflow.submit(statistics_return.pk, actor=tree.admin_a)
    page = client_for(tree.admin_a).get(reverse("returns:fill", args=[YEAR])).content.decode()
    assert "机构改革，编制调整" in page and ">20<" in page
    assert 'value="8"' not in page  # submitted: shown, no longer typed


def test_the_typed_figures_come_back_as_typed(tree, county_work):
    statistics_return = services.open_return(tree.county_a.pk, YEAR)
    workflow.save_entries(statistics_return.pk, {item("AK表1-1", "07").pk: Decimal(20),
                                                 item("DKX表4", "01").pk: Decimal("2.5")}, actor=tree.admin_a)
    page = client_for(tree.admin_a).get(reverse("returns:fill", args=[YEAR])).content.decode()
    assert 'value="20"' in page and 'value="2.5"' in page


def test_leaders_look_but_do_not_review(tree):
    leader = StaffFactory(username="city_leader")
    leader.groups.add(Group.objects.get(name=roles.LEADERS))
    statistics_return = services.open_return(tree.county_a.pk, YEAR)
    client = client_for(leader)
    assert client.get(reverse("returns:index")).status_code == 200
    assert client.get(reverse("returns:review", args=[statistics_return.pk])).status_code == 200
    assert not workflow.may_review(leader, statistics_return)
    anonymous = Client().get(reverse("returns:index"))
    assert anonymous.status_code == 302


def test_the_admin_lists_a_units_own_returns_read_only_with_a_way_to_its_page(tree, office):
    mine = services.open_return(tree.county_a.pk, YEAR)
    services.open_return(tree.county_b.pk, YEAR)
    county = client_for(tree.staff_a)
    page = county.get(reverse("admin:returns_statisticsreturn_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "华龙区科协" in html and "濮阳县科协" not in html
    assert reverse("returns:review", args=[mine.pk]) in html
    assert county.get(reverse("admin:returns_statisticsreturn_add")).status_code == 403
    # The top bar leads to the returns.
    assert reverse("returns:index") in county.get("/").content.decode()
    city = client_for(office).get(reverse("admin:returns_statisticsreturn_changelist")).content.decode()
    assert "华龙区科协" in city and "濮阳县科协" in city


@pytest.fixture
def eager_celery(monkeypatch):
    """The tasks the moves enqueue run here once the move commits (e-mails in mail.outbox)."""
    from association import queue
    from config.celery import app

    app.loader.import_default_modules()

    def run_here(name, args, kwargs):
        app.tasks[name].apply(args=args, kwargs=kwargs, throw=True)

    monkeypatch.setattr(queue, "_send", run_here)


def test_the_level_above_is_told_of_a_submission_and_the_unit_of_a_return_or_acceptance(
        tree, office, county_work, eager_celery, mailoutbox, django_capture_on_commit_callbacks):
    tree.admin_a.email, tree.staff_a.email = "admin@hualong.example.org", "staff@hualong.example.org"
    tree.admin_a.save()
    tree.staff_a.save()
    office.email = "office@puyang.example.org"
    office.save()
    statistics_return = services.open_return(tree.county_a.pk, YEAR)
    workflow.save_entries(statistics_return.pk, {item("AK表1-1", "07").pk: Decimal(12),
                                                 item("DKX表4", "01").pk: Decimal(0)},
                          sign_off={"filled_by": "王统计", "phone": "0393-4412345"}, actor=tree.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(statistics_return.pk, actor=tree.admin_a)
    # A county directly under the city: the city office reviews it.
    assert [m.to for m in mailoutbox] == [["office@puyang.example.org"]]
    assert "待审核" in mailoutbox[0].subject and f"/returns/review/{statistics_return.pk}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        workflow.send_back(statistics_return.pk, "请补填期刊数。", actor=office)
    # Each account of the unit gets its own e-mail (and the notice in its inbox).
    assert len(mailoutbox) == 3
    assert all("已被退回" in m.subject and "请补填期刊数。" in m.body for m in mailoutbox[1:])
    assert sorted(m.to[0] for m in mailoutbox[1:]) == ["admin@hualong.example.org", "staff@hualong.example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(statistics_return.pk, actor=tree.admin_a)
    assert len(mailoutbox) == 4 and "待审核" in mailoutbox[3].subject  # the second submission is told too
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(statistics_return.pk, actor=office)
    assert len(mailoutbox) == 6 and all("已审核通过" in m.subject for m in mailoutbox[4:])


def test_a_society_under_a_county_is_reviewed_by_the_county_and_the_county_is_told(
        tree, eager_celery, mailoutbox, django_capture_on_commit_callbacks):
    from association.models import Organization
    from tests.association.factories import unit_account

    society = Organization.objects.create(name="华龙区农学会", kind=Organization.Kind.SOCIETY, parent=tree.township_a)
    clerk = unit_account(society, "admin", "nongxue")
    tree.admin_a.email = "admin@hualong.example.org"
    tree.admin_a.save()
    statistics_return = services.open_return(society.pk, YEAR)
    workflow.save_entries(statistics_return.pk, {item("AX表1-2", "01", ).pk: Decimal(120),
                                                 item("AX表1-2", "02").pk: Decimal(3),
                                                 item("AX表1-2", "03").pk: Decimal(2),
                                                 item("DKX表4", "01").pk: Decimal(0)},
                          sign_off={"filled_by": "赵会计", "phone": "0393-1234567"}, actor=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(statistics_return.pk, actor=clerk)
    assert [m.to for m in mailoutbox] == [["admin@hualong.example.org"]]


def test_a_county_reviews_the_filing_units_below_it_and_two_step_log_in_guards_the_pages(tree, settings):
    from association.models import Organization

    society = Organization.objects.create(name="华龙区农学会", kind=Organization.Kind.SOCIETY, parent=tree.county_a,
                                          county=tree.county_a_area)
    below = services.open_return(society.pk, YEAR)
    own = services.open_return(tree.county_a.pk, YEAR)
    assert workflow.may_review(tree.admin_a, below) and not workflow.may_review(tree.admin_a, own)
    assert not workflow.may_review(tree.staff_b, below)
    listing = client_for(tree.admin_a).get(reverse("returns:index")).content.decode()
    assert "华龙区农学会（填报中）" in listing
    settings.TWO_FACTOR_REQUIRED = True
    page = client_for(tree.admin_a).get(reverse("returns:fill", args=[YEAR]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor"))


def test_the_city_office_fills_in_the_city_associations_own_return(tree, office):
    page = client_for(office).get(f"/returns/{YEAR}/")
    assert page.status_code == 200
    city_return = StatisticsReturn.objects.get(organization=tree.city, year=YEAR)
    assert tree.city.name in page.content.decode()
    response = client_for(office).post(f"/returns/{YEAR}/", form_data(staff="26"))
    assert response.status_code in (200, 302)
    assert stored(city_return, "AK表1-1", "07") == Decimal(26)
    # A county's staff fill in their own unit's return, never the city's.
    assert not workflow.may_fill(tree.staff_a, city_return)
