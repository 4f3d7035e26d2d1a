from datetime import timedelta

import pytest
from django.utils import timezone

from association.models import AuditEntry
from association.states import DomainError, TransitionNotAllowed
from volunteers.models import Membership, ServiceOrder, ServiceTeam, Volunteer
from volunteers.services import orders

from .factories import (
    CorpsFactory,
    MembershipFactory,
    OrderFactory,
    ProjectFactory,
    TeamFactory,
    VolunteerFactory,
    VolunteerWithUserFactory,
)

pytestmark = pytest.mark.django_db


def build_tree(n_members):
    corps = CorpsFactory(name="濮阳市党外专家“科创中国”志愿服务团")
    team = TeamFactory(name="乡村振兴服务队", parent=corps)
    group = TeamFactory(name="农林组", parent=team, kind=ServiceTeam.Kind.GROUP)
    MembershipFactory(team=corps, role=Membership.Role.CORPS_LEADER, volunteer=VolunteerFactory(name="何建中"))
    MembershipFactory(team=team, role=Membership.Role.TEAM_LEADER, volunteer=VolunteerFactory(name="刘刚"))
    for _ in range(n_members):
        MembershipFactory(team=group)
    MembershipFactory(team=group, volunteer=VolunteerFactory(name="待审核人", status=Volunteer.Status.PENDING))
    return corps, team, group


def test_teams_page_shows_tree_with_leaders_and_member_counts(client):
    build_tree(3)
    html = client.get("/volunteers/teams/").content.decode()
    assert "濮阳市党外专家“科创中国”志愿服务团" in html
    assert "团长</span>何建中" in html
    assert "队长：</span>刘刚" in html
    assert "农林组<span class=\"text-muted\">（3人" in html  # the pending applicant is not counted
    assert "待审核人" not in html
    assert "成员 5 人" in html  # corps leader + team leader + 3 approved group members


def test_teams_page_counts_a_newly_approved_member_at_once(client, admin_user, django_capture_on_commit_callbacks):
    from volunteers.services import review

    build_tree(1)
    assert "农林组<span class=\"text-muted\">（1人" in client.get("/volunteers/teams/").content.decode()
    pending = Volunteer.objects.get(name="待审核人")
    Volunteer.objects.filter(pk=pending.pk).update(email="")  # no notice to send
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(volunteer_id=pending.pk, actor=admin_user)
    assert "农林组<span class=\"text-muted\">（2人" in client.get("/volunteers/teams/").content.decode()


def test_teams_page_shows_no_id_numbers_or_mobiles(client):
    build_tree(2)
    html = client.get("/volunteers/teams/").content.decode()
    for v in Volunteer.objects.all():
        assert v.id_number not in html and v.mobile not in html
        assert v.masked_mobile not in html


def test_teams_page_query_count_stays_flat(client, django_assert_num_queries):
    build_tree(2)
    client.get("/volunteers/teams/")  # warm: site settings cached
    with django_assert_num_queries(2):
        client.get("/volunteers/teams/")
    build_tree_more = CorpsFactory()
    for _ in range(5):
        team = TeamFactory(parent=build_tree_more)
        MembershipFactory(team=team, role=Membership.Role.TEAM_LEADER)
        MembershipFactory(team=team)
    with django_assert_num_queries(2):
        client.get("/volunteers/teams/")


def test_projects_page_lists_published_projects_only(client, django_assert_num_queries):
    ProjectFactory(title="健康义诊进社区")
    ProjectFactory(title="下架的项目", status="closed")
    client.get("/volunteers/projects/")
    with django_assert_num_queries(2):  # count + page
        html = client.get("/volunteers/projects/").content.decode()
    assert "健康义诊进社区" in html and "下架的项目" not in html


def order_data(county, **extra):
    return {
        "orderer_kind": "school", "orderer_name": "清丰县韩村镇中心小学", "contact_name": "赵老师",
        "contact_phone": "13912345678", "email": "", "county": county.pk, "address": "韩村镇",
        "wanted_date": (timezone.localdate() + timedelta(days=10)).isoformat(), "audience_size": 60,
        "needs": "希望开展科学实验课。", **extra,
    }


def test_order_form_refuses_bad_input_with_chinese_messages_and_saves_nothing(client, county):
    project = ProjectFactory()
    data = order_data(county, contact_phone="12", wanted_date="2020-01-01", audience_size="0", orderer_kind="")
    response = client.post(f"/volunteers/projects/{project.pk}/order/", data)
    errors = response.context["form"].errors
    assert errors["contact_phone"] == ["请输入11位中国大陆手机号码，以1开头，例如13812345678。"]
    assert errors["wanted_date"] == ["期望服务日期应晚于今天，以便安排派单。"]
    assert "audience_size" in errors and "orderer_kind" in errors
    assert 'value="清丰县韩村镇中心小学"' in response.content.decode()
    assert not ServiceOrder.objects.exists()


def test_ordering_gives_a_private_link_that_shows_progress(client, county):
    project = ProjectFactory(title="青少年科学实验课进校园")
    response = client.post(f"/volunteers/projects/{project.pk}/order/", order_data(county, contact_phone="0393-8800110"))
    order = ServiceOrder.objects.get()
    assert response.url == f"/volunteers/orders/{order.token}/"
    html = client.get(response.url).content.decode()
    assert "待派单" in html and "青少年科学实验课进校园" in html
    assert "0393-8800110" not in html  # masked even on the private page
    assert order.contact_phone == "0393-8800110"
    assert client.get("/volunteers/orders/not-a-token/").status_code == 404


def test_closed_project_cannot_be_ordered(client, county):
    project = ProjectFactory(status="closed")
    assert client.get(f"/volunteers/projects/{project.pk}/order/").status_code == 404


def test_order_walks_through_dispatch_accept_done_and_rating_each_recorded(client, county, admin_user):
    leader = VolunteerWithUserFactory()
    team = TeamFactory(name="医学科普服务队")
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    order = OrderFactory(project=ProjectFactory(team=team))

    orders.dispatch(order_id=order.pk, team_id=team.pk, actor=admin_user)
    client.force_login(leader.user)
    assert "已派单" in client.get("/accounts/me/").content.decode()
    client.post(f"/accounts/me/orders/{order.pk}/", {"action": "accept"})
    order.refresh_from_db()
    assert order.status == ServiceOrder.Status.ACCEPTED
    page = client.get(f"/accounts/me/orders/{order.pk}/").content.decode()
    assert "13912345678" in page  # the accepting leader needs to call the orderer (audited)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL, object_id=str(order.pk)).exists()
    client.post(f"/accounts/me/orders/{order.pk}/", {"action": "complete"})
    client.logout()

    client.post(f"/volunteers/orders/{order.token}/", {"action": "rate", "rating": "5", "comment": "讲得很好"})
    order.refresh_from_db()
    assert (order.status, order.rating) == (ServiceOrder.Status.RATED, 5)
    steps = list(AuditEntry.objects.filter(action=AuditEntry.Action.TRANSITION, object_id=str(order.pk))
                 .order_by("created").values_list("from_state", "to_state", "actor__username"))
    assert steps == [("submitted", "dispatched", admin_user.username), ("dispatched", "accepted", leader.user.username),
                     ("accepted", "done", leader.user.username), ("done", "rated", None)]


def test_wrong_transition_is_refused_in_chinese(admin_user):
    order = OrderFactory()
    with pytest.raises(TransitionNotAllowed) as exc:
        orders.complete(order_id=order.pk, actor=admin_user)
    assert str(exc.value) == "该点单当前为“待派单”，不能变为“已完成”。"
    order.refresh_from_db()
    assert order.status == ServiceOrder.Status.SUBMITTED


def test_rating_before_completion_shows_a_message_and_changes_nothing(client):
    order = OrderFactory()
    response = client.post(f"/volunteers/orders/{order.token}/", {"action": "rate", "rating": "5"}, follow=True)
    assert "无法办理这项操作" in response.content.decode()
    order.refresh_from_db()
    assert order.rating is None


def test_someone_who_does_not_lead_the_team_cannot_accept(client):
    outsider = VolunteerWithUserFactory()
    order = OrderFactory(status=ServiceOrder.Status.DISPATCHED, team=TeamFactory())
    client.force_login(outsider.user)
    assert client.post(f"/accounts/me/orders/{order.pk}/", {"action": "accept"}).status_code == 404
    with pytest.raises(DomainError):
        orders.accept(order_id=order.pk, actor=outsider.user)


def test_declined_order_goes_back_to_staff_with_reason(client, admin_user):
    leader = VolunteerWithUserFactory()
    team = TeamFactory()
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    order = orders.dispatch(order_id=OrderFactory().pk, team_id=team.pk, actor=admin_user)
    client.force_login(leader.user)
    response = client.post(f"/accounts/me/orders/{order.pk}/", {"action": "decline", "reason": ""}, follow=True)
    assert "请说明拒单的原因" in response.content.decode()
    client.post(f"/accounts/me/orders/{order.pk}/", {"action": "decline", "reason": "当天队员都有任务"})
    order.refresh_from_db()
    assert order.status == ServiceOrder.Status.DECLINED and order.decline_reason == "当天队员都有任务"
    other = TeamFactory()
    assert orders.dispatch(order_id=order.pk, team_id=other.pk, actor=admin_user).team == other


def test_orderer_can_cancel_before_the_team_accepts(client):
    order = OrderFactory()
    response = client.post(f"/volunteers/orders/{order.token}/", {"action": "cancel"}, follow=True)
    assert "点单已撤销" in response.content.decode()
    order.refresh_from_db()
    assert order.status == ServiceOrder.Status.CANCELLED
    assert "撤销这张点单" not in client.get(f"/volunteers/orders/{order.token}/").content.decode()


def test_the_sections_own_address_opens_the_teams_page(client):
    response = client.get("/volunteers/")
    assert response.status_code == 302 and response["Location"] == "/volunteers/teams/"
