import io
import logging

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from openpyxl import load_workbook

from association.choices import TitleLevel
from association.models import AuditEntry
from tests.association.factories import StaffFactory
from tests.worker_output import send_queued
from volunteers.models import Membership, Volunteer
from volunteers.tasks import send_review_notice

from .factories import MembershipFactory, TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/volunteers/volunteer/"


@pytest.fixture
def popsci(client):
    user = StaffFactory(username="popsci-staff")
    user.groups.add(Group.objects.get(name="科学技术普及部"))
    client.force_login(user)
    return user


@pytest.fixture
def privileged(popsci):
    popsci.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="volunteers"))
    return popsci


def test_changelist_shows_no_id_numbers_or_mobiles(client, popsci, caplog):
    # The list names people and their state; the (masked) numbers are on each one's page.
    caplog.set_level(logging.DEBUG)
    people = VolunteerFactory.create_batch(3)
    html = client.get(CHANGELIST).content.decode()
    for v in people:
        assert v.id_number not in html and v.mobile not in html
        assert v.masked_id_number not in html and v.name in html
        assert v.id_number not in caplog.text and v.mobile not in caplog.text
    assert "已通过" in html


def test_change_form_without_permission_shows_masks_only(client, popsci):
    v = VolunteerFactory()
    html = client.get(f"{CHANGELIST}{v.pk}/change/").content.decode()
    assert v.id_number not in html and v.mobile not in html and v.masked_id_number in html
    assert client.get(f"{CHANGELIST}{v.pk}/personal/").status_code == 403


def test_full_personal_data_is_shown_with_permission_and_audited(client, privileged):
    v = VolunteerFactory()
    html = client.get(f"{CHANGELIST}{v.pk}/personal/").content.decode()
    assert v.id_number in html and v.mobile in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_PERSONAL)
    assert (entry.actor, entry.object_id) == (privileged, str(v.pk))
    assert v.id_number not in entry.detail


def test_change_page_with_permission_shows_full_numbers_and_records_the_view(client, privileged):
    v = VolunteerFactory()
    html = client.get(f"{CHANGELIST}{v.pk}/change/").content.decode()
    assert v.id_number in html and v.mobile in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_PERSONAL)
    assert (entry.actor, entry.object_id, entry.detail) == (privileged, str(v.pk), "在编辑页查看完整身份证号与手机号码")


def test_order_change_page_shows_the_contact_phone_in_full_only_with_permission(client, popsci):
    from .factories import OrderFactory

    order = OrderFactory()
    url = f"/admin/volunteers/serviceorder/{order.pk}/change/"
    html = client.get(url).content.decode()
    assert order.contact_phone not in html and order.masked_contact_phone in html
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL).exists()
    popsci.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="volunteers"))
    assert order.contact_phone in client.get(url).content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_PERSONAL)
    assert (entry.actor, entry.object_id, entry.detail) == (popsci, str(order.pk), "查看点单联系电话")


def test_changelist_filters_by_team_and_political_status(client, popsci):
    team = TeamFactory(name="乡村振兴服务队")
    inside = MembershipFactory(team=team, volunteer=VolunteerFactory(name="队里人")).volunteer
    MembershipFactory(volunteer=inside, team=TeamFactory())  # in two teams: listed once
    VolunteerFactory(name="队外人")
    response = client.get(CHANGELIST, {"team": team.pk})
    assert list(response.context["cl"].result_list) == [inside]
    response = client.get(CHANGELIST, {"political_status__exact": "jiusan", "status__exact": "approved"})
    assert response.context["cl"].result_count == 2


def test_changelist_filters_by_title_level_including_not_given(client, popsci):
    VolunteerFactory(name="正高的人", title_level=TitleLevel.SENIOR)
    VolunteerFactory(name="副高的人", title_level=TitleLevel.ASSOCIATE)
    VolunteerFactory(name="没填的人", title_level=None)
    response = client.get(CHANGELIST)
    assert "正高级" in response.content.decode()  # the filter and the column show the labels
    response = client.get(CHANGELIST, {"title_level__exact": TitleLevel.SENIOR})
    assert [v.name for v in response.context["cl"].result_list] == ["正高的人"]
    response = client.get(CHANGELIST, {"title_level__isnull": "True"})
    assert [v.name for v in response.context["cl"].result_list] == ["没填的人"]


def test_lookup_by_id_number_or_mobile_goes_through_a_post_and_the_hash(client, popsci):
    v = VolunteerFactory(name="要找的人")
    VolunteerFactory(name="别人")
    for term in (v.id_number, v.mobile.replace("1990", "1990 ")):
        response = client.post(f"{CHANGELIST}lookup/", {"number": term})
        assert response.url == f"{CHANGELIST}{v.pk}/change/"
    response = client.post(f"{CHANGELIST}lookup/", {"number": "13800000000"})
    assert "没有找到" in response.content.decode()


def test_bulk_approve_records_transitions_and_mails_on_commit(client, popsci, django_capture_on_commit_callbacks):
    pending = VolunteerFactory.create_batch(2, status=Volunteer.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [v.pk for v in pending]},
                               follow=True)
    assert "已审核通过 2 名志愿者" in response.content.decode()
    assert len([c for c in callbacks if c.__name__ == "<lambda>"]) == 2  # one notice each, after the commit
    assert set(Volunteer.objects.values_list("status", flat=True)) == {"approved"}
    assert AuditEntry.objects.filter(action="transition", from_state="pending", to_state="approved", actor=popsci).count() == 2
    for v in pending:
        assert send_review_notice(v.pk) == "sent"
        assert send_review_notice(v.pk) == "skipped"  # idempotent
    send_queued()
    assert len(mail.outbox) == 2 and "审核通过" in mail.outbox[0].subject


def test_bulk_reject_asks_for_a_reason_first(client, popsci):
    v = VolunteerFactory(status=Volunteer.Status.PENDING)
    response = client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": [v.pk]})
    page = response.content.decode()
    assert "填写未通过原因" in page and f"{v.name}（{v.masked_id_number}，审核中）" in page and v.id_number not in page
    v.refresh_from_db()
    assert v.status == Volunteer.Status.PENDING
    client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": [v.pk], "apply": "1",
                             "reason": "身份信息无法核实"})
    v.refresh_from_db()
    assert (v.status, v.rejection_reason) == (Volunteer.Status.REJECTED, "身份信息无法核实")
    send_review_notice(v.pk)
    send_queued()
    assert "身份信息无法核实" in mail.outbox[0].body


def test_approving_an_approved_volunteer_is_refused_with_a_message(client, popsci):
    v = VolunteerFactory(status=Volunteer.Status.APPROVED)
    response = client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [v.pk]}, follow=True)
    assert "当前为“已通过”，不能变为“已通过”" in response.content.decode()


def test_export_without_permission_is_masked_and_recorded(client, popsci):
    v = VolunteerFactory()
    MembershipFactory(volunteer=v, team=TeamFactory(name="医学科普服务队"), role=Membership.Role.LIAISON)
    response = client.post(CHANGELIST, {"action": "export_selected", "_selected_action": [v.pk]})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    flat = " ".join(str(c) for row in rows for c in row)
    assert v.id_number not in flat and v.mobile not in flat
    assert v.masked_id_number in flat and "医学科普服务队（联络员）" in flat
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=popsci).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL).exists()


def test_export_with_permission_is_full_and_recorded_as_personal_data(client, privileged):
    v = VolunteerFactory()
    response = client.post(CHANGELIST, {"action": "export_selected", "_selected_action": [v.pk]})
    flat = " ".join(str(c) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
                    for c in row)
    assert v.id_number in flat and v.mobile in flat
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL, actor=privileged).exists()


def test_other_admin_lists_show_no_personal_data(client, popsci):
    from .factories import OrderFactory, RecordFactory

    v = VolunteerFactory()
    MembershipFactory(volunteer=v)
    RecordFactory(volunteer=v)
    order = OrderFactory()
    for url in ("/admin/volunteers/membership/", "/admin/volunteers/servicerecord/", "/admin/volunteers/serviceorder/",
                f"/admin/volunteers/serviceorder/{order.pk}/change/", "/admin/association/auditentry/"):
        html = client.get(url).content.decode()
        assert v.id_number not in html and v.mobile not in html and order.contact_phone not in html, url


def test_leaders_group_may_view_but_not_change_or_see_personal_data():
    leaders = Group.objects.get(name="领导")
    codes = set(leaders.permissions.filter(content_type__app_label="volunteers").values_list("codename", flat=True))
    assert "view_volunteer" in codes and "change_volunteer" not in codes and "view_personal_data" not in codes
    popsci = Group.objects.get(name="科学技术普及部")
    assert popsci.permissions.filter(codename="change_serviceorder").exists()
    assert not popsci.permissions.filter(codename="view_personal_data").exists()


def test_staff_records_hours_for_several_volunteers(client, popsci):
    people = VolunteerFactory.create_batch(2)
    response = client.post("/admin/volunteers/servicerecord/record/", {
        "volunteers": [p.pk for p in people], "date": "2024-09-15", "hours": "4", "title": "全国科普日", "confirm": "on",
    }, follow=True)
    assert "已登记 2 条服务记录" in response.content.decode()


def test_staff_dispatch_orders_through_the_admin_action(client, popsci):
    from .factories import OrderFactory

    order = OrderFactory()
    team = TeamFactory(name="医学科普服务队")
    url = "/admin/volunteers/serviceorder/"
    page = client.post(url, {"action": "dispatch_selected", "_selected_action": [order.pk]}).content.decode()
    assert "将以下 1 张点单派给同一支服务队" in page and f"{order.orderer_name} · {order.project.title}（待派单" in page
    response = client.post(url, {"action": "dispatch_selected", "_selected_action": [order.pk], "apply": "1",
                                 "team": team.pk}, follow=True)
    assert "已派单 1 张点单" in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.team) == ("dispatched", team)


def test_correcting_an_id_number_with_permission_updates_its_lookup_hash(client, privileged):
    from volunteers.idcard import synthetic_identity
    from volunteers.models.people import id_number_hash

    v = VolunteerFactory()
    number, birth, gender = synthetic_identity(777_777)
    data = {"name": v.name, "gender": gender, "birth_date": birth.isoformat(), "id_number": number, "mobile": v.mobile,
            "email": v.email, "political_status": v.political_status, "education": v.education, "title": v.title,
            "title_level": v.title_level, "field": v.field, "employer": "", "county": v.county_id, "skills": "",
            "rejection_reason": "", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(f"{CHANGELIST}{v.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    v.refresh_from_db()
    assert v.id_number == number and v.id_number_hash == id_number_hash(number)
