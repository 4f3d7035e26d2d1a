"""Tests that attack: every role tries the pages and objects that are not theirs and is
refused (403 or 404; the anonymous are sent to log in), never shown the thing.

Roles: the anonymous public, a volunteer, a team leader, a reviewer (评审专家), staff of
办公室 / 学会学术部 / 科学技术普及部 / 领导, and staff in no group.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from association.models import AuditEntry, ReportJob
from association.roles import ACADEMIC, LEADERS, OFFICE, POPSCI
from talents.models import AwardRound, NominationMaterial, TechDemand
from tests.association.factories import StaffFactory, UserFactory
from tests.talents.factories import (
    DemandFactory,
    NominationFactory,
    ReviewFactory,
    RoundFactory,
    TalentFactory,
    pdf_upload,
)
from tests.volunteers.factories import (
    MembershipFactory,
    OrderFactory,
    ProjectFactory,
    TeamFactory,
    VolunteerFactory,
    VolunteerWithUserFactory,
)
from volunteers.models import HoursCertificate, Membership, ServiceOrder

pytestmark = pytest.mark.django_db

REFUSED = (403, 404)


def staff_in(group_name: str, **kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def refused(response) -> bool:
    return response.status_code in REFUSED


def sent_to_login(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def certificate():
    volunteer = VolunteerWithUserFactory()
    cert = HoursCertificate.objects.create(
        volunteer=volunteer, code="ABCD2345EFGH", status=HoursCertificate.Status.READY, total_hours=12, record_count=3,
        generated_at=timezone.now(),
    )
    cert.file.save("cert.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return cert


@pytest.fixture
def report_job():
    job = ReportJob.objects.create(report="annual", year=2025, params_key="annual|2025||||x", status=ReportJob.Status.SUCCEEDED)
    job.xlsx.save("annual.xlsx", ContentFile(b"PK\x03\x04 xlsx"))
    job.pdf.save("annual.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return job


# -- volunteers ------------------------------------------------------------------------------


def test_volunteer_cannot_download_another_volunteers_certificate(client, certificate):
    client.force_login(VolunteerWithUserFactory().user)
    response = client.get(f"/accounts/me/certificates/{certificate.pk}/download/")
    assert response.status_code == 404


def test_owner_gets_the_certificate_as_a_download_only(client, certificate):
    client.force_login(certificate.volunteer.user)
    response = client.get(f"/accounts/me/certificates/{certificate.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_without_the_certificate_permission_cannot_download_it(client, certificate):
    for user in (staff_in(ACADEMIC), staff_in(OFFICE), StaffFactory()):
        client.force_login(user)
        assert client.get(f"/accounts/me/certificates/{certificate.pk}/download/").status_code == 404


def test_anonymous_is_sent_to_log_in_for_a_certificate(client, certificate):
    assert sent_to_login(client.get(f"/accounts/me/certificates/{certificate.pk}/download/"))


def test_volunteer_who_leads_no_team_cannot_open_an_order(client):
    order = OrderFactory()
    member = VolunteerWithUserFactory()
    MembershipFactory(volunteer=member, team=order.project.team, role=Membership.Role.MEMBER)
    client.force_login(member.user)
    assert client.get(f"/accounts/me/orders/{order.pk}/").status_code == 404
    assert client.post(f"/accounts/me/orders/{order.pk}/", {"action": "accept"}).status_code == 404


def test_leader_of_one_team_cannot_open_or_accept_another_teams_order(client):
    mine, theirs = TeamFactory(), TeamFactory()
    leader = VolunteerWithUserFactory()
    MembershipFactory(volunteer=leader, team=mine, role=Membership.Role.TEAM_LEADER)
    order = OrderFactory(project=ProjectFactory(team=theirs), team=theirs, status=ServiceOrder.Status.DISPATCHED)
    client.force_login(leader.user)
    assert client.get(f"/accounts/me/orders/{order.pk}/").status_code == 404
    assert client.post(f"/accounts/me/orders/{order.pk}/", {"action": "accept"}).status_code == 404
    order.refresh_from_db()
    assert order.status == ServiceOrder.Status.DISPATCHED


def test_order_status_page_needs_its_secret_token(client):
    order = OrderFactory()
    assert client.get(f"/volunteers/orders/{order.pk}/").status_code == 404
    assert client.get(f"/volunteers/orders/{order.token[:-1]}x/").status_code == 404
    assert client.post(f"/volunteers/orders/{order.token[:-2]}/", {"action": "cancel"}).status_code == 404


def test_suspended_leader_loses_the_order_desk(client):
    team = TeamFactory()
    leader = VolunteerWithUserFactory(status="suspended")
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    order = OrderFactory(project=ProjectFactory(team=team), team=team, status=ServiceOrder.Status.DISPATCHED)
    client.force_login(leader.user)
    assert client.get(f"/accounts/me/orders/{order.pk}/").status_code == 404


# -- reviewers -------------------------------------------------------------------------------


def test_reviewer_cannot_open_or_score_another_reviewers_assignment(client):
    mine, theirs = ReviewFactory(), ReviewFactory(score=88, comment="另一位专家的意见")
    client.force_login(mine.reviewer)
    assert client.get(f"/talents/review/{theirs.pk}/").status_code == 404
    assert client.post(f"/talents/review/{theirs.pk}/", {"score": 1, "comment": "改分"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.score == 88 and theirs.comment == "另一位专家的意见"


def test_reviewer_list_shows_only_their_own_assignments(client):
    mine = ReviewFactory(nomination__nominee_name="分给我的人")
    ReviewFactory(nomination__nominee_name="分给别人的人")
    client.force_login(mine.reviewer)
    html = client.get("/talents/review/").content.decode()
    assert "分给我的人" in html and "分给别人的人" not in html


def test_reviewer_cannot_download_materials_of_a_nomination_not_assigned_to_them(client):
    mine, theirs = ReviewFactory(), ReviewFactory()
    material = NominationMaterial.objects.create(
        nomination=theirs.nomination, kind="recommendation", file=pdf_upload(), original_name="推荐表.pdf",
        content_type="application/pdf", size=10,
    )
    client.force_login(mine.reviewer)
    assert client.get(f"/talents/materials/{material.pk}/").status_code == 404
    client.force_login(theirs.reviewer)
    response = client.get(f"/talents/materials/{material.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_people_who_are_not_reviewers_cannot_open_the_reviewer_pages(client):
    review = ReviewFactory()
    assert sent_to_login(client.get("/talents/review/"))
    for user in (VolunteerWithUserFactory().user, UserFactory(), staff_in(POPSCI), staff_in(OFFICE)):
        client.force_login(user)
        assert refused(client.get("/talents/review/")), user
        assert refused(client.get(f"/talents/review/{review.pk}/")), user


def test_private_talent_and_unpublished_demand_and_round_are_not_found(client):
    hidden = TalentFactory(public_profile=False)
    draft = DemandFactory(status=TechDemand.Status.COLLECTED)
    preparing = RoundFactory(status=AwardRound.Status.PREPARING)
    assert client.get(f"/talents/experts/{hidden.pk}/").status_code == 404
    assert client.get(f"/talents/demands/{draft.pk}/").status_code == 404
    assert client.get(f"/talents/awards/{preparing.pk}/").status_code == 404


def test_nomination_receipt_shows_only_the_nomination_made_in_this_session(client):
    nomination = NominationFactory()
    assert client.get(f"/talents/awards/{nomination.round_id}/nominate/done/").status_code == 404


# -- admin changelists, exports, personal-data pages ---------------------------------------

VOLUNTEER_ADMIN = ["/admin/volunteers/volunteer/", "/admin/volunteers/serviceorder/", "/admin/volunteers/hourscertificate/"]
TALENT_ADMIN = ["/admin/talents/nomination/", "/admin/talents/awardround/", "/admin/talents/talent/", "/admin/talents/techdemand/"]
CORE_ADMIN = ["/admin/association/auditentry/", "/admin/association/reportjob/", "/admin/association/outboxmessage/",
              "/admin/association/retentionrun/", "/admin/auth/user/"]


@pytest.mark.parametrize("path", ["/admin/", *VOLUNTEER_ADMIN, *TALENT_ADMIN, *CORE_ADMIN])
def test_anonymous_and_volunteers_are_kept_out_of_the_admin(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(VolunteerWithUserFactory().user)
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("group, paths", [
    (OFFICE, VOLUNTEER_ADMIN + TALENT_ADMIN),
    (ACADEMIC, ["/admin/volunteers/serviceorder/", "/admin/volunteers/hourscertificate/", *CORE_ADMIN]),
    (POPSCI, TALENT_ADMIN + CORE_ADMIN),
    (LEADERS, ["/admin/auth/user/", "/admin/auth/group/"]),
    (None, VOLUNTEER_ADMIN + TALENT_ADMIN + CORE_ADMIN),
])
def test_staff_cannot_open_another_departments_changelists(client, group, paths):
    client.force_login(staff_in(group) if group else StaffFactory())
    for path in paths:
        assert client.get(path).status_code == 403, path


def test_academic_staff_cannot_edit_volunteers_nor_export_the_roster(client):
    volunteer = VolunteerFactory()
    client.force_login(staff_in(ACADEMIC))
    response = client.post(f"/admin/volunteers/volunteer/{volunteer.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    response = client.post("/admin/volunteers/volunteer/", {"action": "export_selected", "_selected_action": [volunteer.pk]})
    assert response.get("Content-Type", "").startswith("text/html")  # no workbook: the action is not offered
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_popsci_staff_export_the_roster_masked(client):
    volunteer = VolunteerFactory()
    client.force_login(staff_in(POPSCI))
    response = client.post("/admin/volunteers/volunteer/", {"action": "export_selected", "_selected_action": [volunteer.pk]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert volunteer.id_number.encode() not in response.content


@pytest.mark.parametrize("group", [ACADEMIC, OFFICE, LEADERS, None])
def test_only_staff_with_the_personal_data_permission_see_a_full_id_number(client, group):
    volunteer = VolunteerFactory()
    client.force_login(staff_in(group) if group else StaffFactory())
    response = client.get(f"/admin/volunteers/volunteer/{volunteer.pk}/personal/")
    assert refused(response)
    assert volunteer.id_number not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL).exists()


def test_popsci_staff_cannot_touch_the_academic_departments_awards(client):
    award_round = RoundFactory()
    nomination = NominationFactory(round=award_round)
    client.force_login(staff_in(POPSCI))
    assert client.get(f"/admin/talents/awardround/{award_round.pk}/change/").status_code == 403
    assert client.post(f"/admin/talents/awardround/{award_round.pk}/change/", {"quota": 99}).status_code == 403
    assert client.get(f"/admin/talents/awardround/{award_round.pk}/ranking/").status_code == 403
    assert client.post("/admin/talents/nomination/", {"action": "check_eligibility", "_selected_action": [nomination.pk]}).status_code == 403
    assert client.get(f"/admin/talents/nomination/{nomination.pk}/delete/").status_code == 403
    award_round.refresh_from_db()
    assert award_round.quota == 3


def test_academic_staff_cannot_touch_the_popsci_departments_orders_and_teams(client):
    order = OrderFactory()
    team = order.project.team
    client.force_login(staff_in(ACADEMIC))
    assert client.get(f"/admin/volunteers/serviceorder/{order.pk}/change/").status_code == 403
    assert client.post(f"/admin/volunteers/serviceteam/{team.pk}/change/", {"name": "改名"}).status_code == 403
    assert client.get(f"/admin/volunteers/serviceteam/{team.pk}/delete/").status_code == 403
    assert client.get("/admin/volunteers/servicerecord/record/").status_code == 403
    assert client.get("/admin/volunteers/volunteer/import/").status_code == 403
    team.refresh_from_db()
    assert team.name != "改名"


def test_leaders_look_but_cannot_change(client):
    volunteer, award_round = VolunteerFactory(), RoundFactory()
    client.force_login(staff_in(LEADERS))
    assert client.get("/admin/volunteers/volunteer/").status_code == 200
    assert client.post(f"/admin/volunteers/volunteer/{volunteer.pk}/change/", {"name": "改名"}).status_code == 403
    assert client.post(f"/admin/talents/awardround/{award_round.pk}/change/", {"quota": 99}).status_code == 403


# -- dashboard, reports, private files ------------------------------------------------------


@pytest.mark.parametrize("group", [ACADEMIC, POPSCI, None])
def test_dashboard_and_report_downloads_are_refused_to_staff_without_the_permission(client, report_job, group):
    client.force_login(staff_in(group) if group else StaffFactory())
    assert client.get("/dashboard/").status_code == 403
    for kind in ("xlsx", "pdf"):
        assert client.get(f"/dashboard/reports/{report_job.pk}/{kind}/").status_code == 403
    assert client.get(f"/dashboard/reports/{report_job.pk}/status/").status_code == 403


def test_dashboard_and_reports_send_the_anonymous_to_log_in_and_refuse_volunteers(client, report_job):
    for path in ("/dashboard/", f"/dashboard/reports/{report_job.pk}/xlsx/", f"/dashboard/reports/{report_job.pk}/status/"):
        assert sent_to_login(client.get(path))
    client.force_login(VolunteerWithUserFactory().user)
    for path in ("/dashboard/", f"/dashboard/reports/{report_job.pk}/xlsx/"):
        assert client.get(path).status_code == 403


def test_leaders_download_reports_as_attachments(client, report_job):
    client.force_login(staff_in(LEADERS))
    response = client.get(f"/dashboard/reports/{report_job.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("path", [
    "/media/../private_media/reports/annual.pdf",
    "/media/%2e%2e/private_media/reports/annual.pdf",
    "/private_media/reports/annual.pdf",
    "/media/reports/annual.pdf",
    "/media/certificates/cert.pdf",
    "/media/nominations/推荐表.pdf",
    "/media/.env",
    "/.env",
])
def test_private_files_have_no_public_address(client, report_job, certificate, settings, path):
    settings.SERVE_MEDIA = True  # even with Django serving MEDIA_ROOT, private files are elsewhere
    assert client.get(path).status_code == 404


def test_two_factor_staff_who_skipped_the_second_step_are_kept_out(client, report_job):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = staff_in(LEADERS)
    TOTPDevice.objects.create(user=leader, name="手机", confirmed=True)
    client.force_login(leader)
    assert client.get("/admin/volunteers/volunteer/").status_code == 302
    response = client.get(f"/dashboard/reports/{report_job.pk}/pdf/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?next=")


# -- accounts: office staff manage users but cannot make themselves all-powerful ------------


def test_office_staff_cannot_make_anyone_a_superuser_or_grant_single_permissions(client):
    clerk = staff_in(OFFICE, username="clerk")
    client.force_login(clerk)
    page = client.get(f"/admin/auth/user/{clerk.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    client.post(f"/admin/auth/user/{clerk.pk}/change/", {
        "username": "clerk", "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "groups": [Group.objects.get(name=OFFICE).pk], "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00",
    })
    clerk.refresh_from_db()
    assert not clerk.is_superuser


def test_office_staff_cannot_edit_a_superuser(client, admin_user):
    client.force_login(staff_in(OFFICE))
    page = client.get(f"/admin/auth/user/{admin_user.pk}/change/")
    assert 'name="username"' not in page.content.decode()  # shown read-only at most
    response = client.post(f"/admin/auth/user/{admin_user.pk}/change/", {"username": "taken-over", "is_active": ""})
    assert response.status_code == 403
    assert client.get(f"/admin/auth/user/{admin_user.pk}/password/").status_code == 403
    assert client.post(f"/admin/auth/user/{admin_user.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.username == "admin" and admin_user.is_active


def test_office_staff_cannot_put_themselves_into_another_department(client):
    clerk = staff_in(OFFICE, username="clerk2")
    client.force_login(clerk)
    client.post(f"/admin/auth/user/{clerk.pk}/change/", {
        "username": "clerk2", "is_active": "on", "is_staff": "on",
        "groups": [Group.objects.get(name=POPSCI).pk, Group.objects.get(name=OFFICE).pk],
        "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00",
    })
    assert set(clerk.groups.values_list("name", flat=True)) == {OFFICE}


def test_round_dates_cannot_be_forged_by_a_public_nomination_after_closing(client):
    closed = RoundFactory(nomination_closes=timezone.localdate() - datetime.timedelta(days=1))
    response = client.post(f"/talents/awards/{closed.pk}/nominate/", {"nominee_name": "迟到的人"})
    assert response.status_code == 302
    assert not closed.nominations.exists()
