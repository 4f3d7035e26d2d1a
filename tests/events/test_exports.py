"""Rosters to Excel: masked by default, full mobiles only with the permission, always audited."""

import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from association.models import AuditEntry
from events.models import RosterExport
from events.services import exports
from tests.events.factories import EventFactory


@pytest.fixture
def cleanup_files():
    yield
    for export in RosterExport.objects.exclude(file=""):
        export.file.delete(save=False)


def _rows(client, export):
    response = client.get(f"/events/exports/{export.pk}/download/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in workbook.active.iter_rows(min_row=3, values_only=True)]


def _export_via_admin(client, event, action):
    return client.post("/admin/events/event/", {"action": action, "_selected_action": [event.pk]})


@pytest.mark.django_db
def test_roster_masks_mobiles_without_the_permission_and_is_audited(client, staff_with, sign_up, cleanup_files):
    event = EventFactory(title="设施蔬菜冬季管理讲座")
    sign_up(event, 3)
    staff = staff_with("events.view_event", "events.view_registration")
    client.force_login(staff)
    response = _export_via_admin(client, event, "export_roster")
    export = RosterExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/exports/{export.pk}/"
    assert "下载 Excel" in client.get(response["Location"]).content.decode()
    rows = _rows(client, export)
    assert [r[1] for r in rows] == ["报名人0", "报名人1", "报名人2"]
    assert rows[0][2] == "139****0000"
    assert rows[0][5] == "报名成功"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == staff and "遮蔽" in entry.detail


@pytest.mark.django_db
def test_unmasked_export_needs_the_permission(client, staff_with, sign_up):
    event = EventFactory()
    sign_up(event, 1)
    staff = staff_with("events.view_event", "events.view_registration")
    with pytest.raises(exports.PermissionDenied):
        exports.request_roster(event_id=event.pk, user=staff, unmasked=True)
    client.force_login(staff)
    _export_via_admin(client, event, "export_roster_unmasked")
    assert not RosterExport.objects.exists()


@pytest.mark.django_db
def test_unmasked_export_shows_full_mobiles_and_is_audited(client, staff_with, sign_up, cleanup_files):
    event = EventFactory()
    sign_up(event, 2)
    staff = staff_with("events.view_event", "events.view_registration", "events.view_personal_data")
    client.force_login(staff)
    _export_via_admin(client, event, "export_roster_unmasked")
    export = RosterExport.objects.get()
    assert export.unmasked
    assert _rows(client, export)[1][2] == "13900000001"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, detail__contains="完整").count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL).count() == 1  # the download


@pytest.mark.django_db
def test_other_staff_cannot_download_an_unmasked_roster(client, staff_with, sign_up, cleanup_files):
    event = EventFactory()
    sign_up(event, 1)
    owner = staff_with("events.view_registration", "events.view_personal_data")
    export = exports.request_roster(event_id=event.pk, user=owner, unmasked=True)
    client.force_login(staff_with("events.view_registration"))
    assert client.get(f"/events/exports/{export.pk}/download/").status_code == 403
    client.logout()
    assert client.get(f"/events/exports/{export.pk}/download/").status_code == 302  # to the log-in page


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_large_roster_is_written_by_the_celery_worker(
    client, staff_with, sign_up, celery_worker_process, monkeypatch, cleanup_files
):
    monkeypatch.setattr(exports, "INLINE_LIMIT", 2)
    event = EventFactory(capacity=None)
    sign_up(event, 5)
    staff = staff_with("events.view_registration")
    export = exports.request_roster(event_id=event.pk, user=staff)
    assert export.status == RosterExport.Status.PENDING
    client.force_login(staff)
    page = client.get(f"/events/exports/{export.pk}/").content.decode()
    assert "正在后台生成" in page or "下载 Excel" in page  # the worker may already be done
    import time

    deadline = time.time() + 30
    while time.time() < deadline:
        export.refresh_from_db()
        if export.status == RosterExport.Status.DONE:
            break
        time.sleep(0.3)
    assert export.status == RosterExport.Status.DONE and export.rows == 5
    assert len(_rows(client, export)) == 5


@pytest.mark.django_db
def test_leaders_group_may_view_but_not_change_events():
    from django.contrib.auth.models import Group

    leaders = Group.objects.get(name="领导")
    codenames = set(leaders.permissions.filter(content_type__app_label="events").values_list("codename", flat=True))
    assert {"view_event", "view_registration", "view_eventoutcome"} <= codenames
    assert "change_event" not in codenames and "view_personal_data" not in codenames
    popsci = Group.objects.get(name="科学技术普及部")
    assert popsci.permissions.filter(codename="change_event").exists()
    assert popsci.permissions.filter(codename="check_in_registration").exists()
    assert not popsci.permissions.filter(codename="view_personal_data").exists()
    assert Permission.objects.filter(codename="view_personal_data", content_type__app_label="events").exists()


@pytest.mark.django_db
def test_roster_export_is_named_with_its_local_time_in_chinese_form():
    from datetime import UTC, datetime

    from tests.association.factories import StaffFactory

    export = RosterExport.objects.create(event=EventFactory(title="冬季健康义诊进社区"), requested_by=StaffFactory())
    RosterExport.objects.filter(pk=export.pk).update(created=datetime(2026, 1, 5, 1, 30, tzinfo=UTC))
    export.refresh_from_db()
    assert str(export) == "冬季健康义诊进社区 · 2026年1月5日 09:30"
