from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from association.models import County
from association.states import DomainError
from volunteers.models import Membership, ServiceRecord, Volunteer
from volunteers.services import records

from .factories import (
    MembershipFactory,
    OrderFactory,
    RecordFactory,
    TeamFactory,
    VolunteerFactory,
    VolunteerWithUserFactory,
)

pytestmark = pytest.mark.django_db


def test_record_hours_for_several_volunteers_at_once_and_confirm(admin_user):
    team = TeamFactory()
    people = VolunteerFactory.create_batch(3)
    created = records.record_hours(volunteer_ids=[p.pk for p in people], hours="2.5", date=date(2024, 9, 15), title="全国科普日主题活动",
                                   team_id=team.pk, recorded_by=admin_user)
    assert len(created) == 3 and all(r.status == ServiceRecord.Status.PENDING for r in created)
    assert records.confirm_records(record_ids=ServiceRecord.objects.values_list("pk", flat=True), actor=admin_user) == 3
    assert set(ServiceRecord.objects.values_list("status", "hours", "team")) == {("confirmed", Decimal("2.5"), team.pk)}


def test_hours_can_point_at_any_activity_through_a_generic_relation(admin_user):
    activity = County.objects.create(name="示例活动对象")  # any model will do: events are not imported here
    (record,) = records.record_hours(volunteer_ids=[VolunteerFactory().pk], hours=3, date=date(2024, 5, 1), title="科技活动周",
                                     activity=activity, recorded_by=admin_user)
    record.refresh_from_db()
    assert record.activity == activity
    assert record.activity_type == ContentType.objects.get_for_model(County)


@pytest.mark.parametrize(("hours", "message"), [("0", "大于 0"), ("25", "不超过 24"), ("abc", "应为数字")])
def test_bad_hours_are_refused(admin_user, hours, message):
    with pytest.raises(DomainError) as exc:
        records.record_hours(volunteer_ids=[VolunteerFactory().pk], hours=hours, date=date(2024, 5, 1), title="x",
                             recorded_by=admin_user)
    assert message in str(exc.value)
    assert not ServiceRecord.objects.exists()


def test_hours_cannot_be_recorded_for_pending_volunteers_or_future_dates(admin_user):
    with pytest.raises(DomainError, match="尚未通过审核"):
        records.record_hours(volunteer_ids=[VolunteerFactory(status="pending").pk], hours=2, date=date(2024, 5, 1), title="x",
                             recorded_by=admin_user)
    with pytest.raises(DomainError, match="不能晚于今天"):
        records.record_hours(volunteer_ids=[VolunteerFactory().pk], hours=2, title="x", recorded_by=admin_user,
                             date=timezone.localdate() + timedelta(days=1))


def test_hours_for_an_order_need_an_accepted_order(admin_user):
    with pytest.raises(DomainError, match="已接单"):
        records.record_hours(volunteer_ids=[VolunteerFactory().pk], hours=2, date=date(2024, 5, 1), title="",
                             order_id=OrderFactory().pk, recorded_by=admin_user)


def test_me_page_shows_teams_roles_records_and_totals(client):
    volunteer = VolunteerWithUserFactory(name="孟庆臻")
    MembershipFactory(volunteer=volunteer, team=TeamFactory(name="化工新材料服务队"), role=Membership.Role.TEAM_LEADER)
    this_year = timezone.localdate().year
    RecordFactory(volunteer=volunteer, hours=Decimal("3.5"), date=date(this_year, 1, 2), title="化工新材料服务队研讨会")
    RecordFactory(volunteer=volunteer, hours=Decimal("6"), date=date(2021, 1, 22), title="赴南乐县调研")
    RecordFactory(volunteer=volunteer, hours=Decimal("2"), status=ServiceRecord.Status.PENDING, date=date(this_year, 1, 3))
    client.force_login(volunteer.user)
    response = client.get("/accounts/me/")
    html = response.content.decode()
    assert "化工新材料服务队" in html and "队长" in html
    assert "化工新材料服务队研讨会" in html and "2021年1月22日" in html
    totals = response.context["totals"]
    assert (totals["total_hours"], totals["year_hours"], totals["pending_hours"]) == (Decimal("9.5"), Decimal("3.5"), Decimal("2"))
    assert volunteer.id_number not in html and volunteer.mobile not in html


def test_me_page_query_count_is_the_same_for_5_and_60_records(client, django_assert_num_queries):
    volunteer = VolunteerWithUserFactory()
    MembershipFactory(volunteer=volunteer)
    RecordFactory.create_batch(5, volunteer=volunteer)
    client.force_login(volunteer.user)
    client.get("/accounts/me/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/accounts/me/")
    RecordFactory.create_batch(55, volunteer=volunteer)
    MembershipFactory(volunteer=volunteer)
    with django_assert_num_queries(len(small)):
        client.get("/accounts/me/")


def test_me_page_needs_login_and_a_volunteer(client, admin_user):
    assert client.get("/accounts/me/").url.startswith("/accounts/login/")
    client.force_login(admin_user)
    assert "您还不是科技志愿者" in client.get("/accounts/me/").content.decode()


def test_pending_volunteer_sees_under_review(client):
    volunteer = VolunteerWithUserFactory(status=Volunteer.Status.PENDING)
    client.force_login(volunteer.user)
    assert "审核中" in client.get("/accounts/me/").content.decode()


def test_leader_records_hours_for_team_members_on_an_order(client, admin_user):
    from volunteers.services import orders

    leader = VolunteerWithUserFactory()
    team = TeamFactory()
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    members = [MembershipFactory(team=team).volunteer for _ in range(2)]
    order = orders.dispatch(order_id=OrderFactory().pk, team_id=team.pk, actor=admin_user)
    orders.accept(order_id=order.pk, actor=admin_user)
    client.force_login(leader.user)
    response = client.post(f"/accounts/me/orders/{order.pk}/", {
        "action": "hours", "volunteers": [m.pk for m in members], "date": "2024-06-01", "hours": "3", "title": "",
    }, follow=True)
    assert "已为 2 名志愿者登记服务时长" in response.content.decode()
    assert set(ServiceRecord.objects.values_list("volunteer", "order", "status")) == {
        (m.pk, order.pk, "pending") for m in members}


def test_leader_roles_belong_to_their_level(admin_user):
    from volunteers.services import review

    group = TeamFactory(kind="group")
    with pytest.raises(DomainError, match="“队长”只能设在服务队一级"):
        review.assign(volunteer_id=VolunteerFactory().pk, team_id=group.pk, role=Membership.Role.TEAM_LEADER, actor=admin_user)
    membership = review.assign(volunteer_id=VolunteerFactory().pk, team_id=group.pk, role=Membership.Role.GROUP_LEADER,
                               actor=admin_user)
    assert membership.get_role_display() == "组长"


def test_volunteer_finds_their_own_page_in_the_top_bar(client):
    volunteer = VolunteerWithUserFactory()
    client.force_login(volunteer.user)
    html = client.get("/news/").content.decode()
    assert '<a href="/accounts/me/" class="me-2">我的志愿服务</a>' in html


def test_me_page_month_breakdown_does_not_claim_old_months_are_recent(client):
    volunteer = VolunteerWithUserFactory()
    RecordFactory(volunteer=volunteer, date=date(2021, 1, 20), hours=Decimal("3"))
    client.force_login(volunteer.user)
    html = client.get("/accounts/me/").content.decode()
    assert "2021年1月：<strong>3</strong> 小时" in html
    assert "近 12 个月" not in html
    assert "最近 12 个有服务记录的月份" in html
