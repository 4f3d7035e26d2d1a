"""Rosters as Excel workbooks, written to private storage.

Small rosters are written in the request; large ones by a Celery task. Mobiles are masked
unless the staff member holds ``events.view_personal_data``; every export is recorded in
the audit log, and an unmasked one says so.
"""

import io

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from association import audit, queue, spreadsheet
from association.crypto import mask_mobile
from association.formatting import chinese_datetime
from association.models import AuditEntry

from ..models import Event, Registration, RosterExport

# Up to this many sign-ups the workbook is written while the staff member waits.
INLINE_LIMIT = 2000
PERSONAL_DATA_PERMISSION = "events.view_personal_data"

COLUMNS = [
    (_("序号"), 8), (_("姓名"), 14), (_("手机号码"), 16), (_("电子邮箱"), 26), (_("工作单位"), 30),
    (_("状态"), 12), (_("报名时间"), 20), (_("签到时间"), 20),
]


def request_roster(*, event_id: int, user, unmasked: bool = False, request=None) -> RosterExport:
    if unmasked and not user.has_perm(PERSONAL_DATA_PERMISSION):
        raise PermissionDenied(_("您没有查看完整手机号码的权限。"))
    event = Event.objects.get(pk=event_id)
    with transaction.atomic():
        export = RosterExport.objects.create(event=event, requested_by=user, unmasked=unmasked)
        audit.record(
            AuditEntry.Action.EXPORT, actor=user, obj=event, request=request,
            detail=_("导出报名名单（含完整手机号码）") if unmasked else _("导出报名名单（手机号码已遮蔽）"),
        )
        large = event.registrations.count() > INLINE_LIMIT
        if large:
            queue.enqueue("events.tasks.build_roster_export", export.pk)
    if not large:
        build_roster(export_id=export.pk)
        export.refresh_from_db()
    return export


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def build_roster(*, export_id: int) -> RosterExport:
    """Write the workbook; safe to run twice (a finished export is left alone)."""
    with transaction.atomic():
        export = RosterExport.objects.select_for_update().select_related("event").get(pk=export_id)
        if export.status == RosterExport.Status.DONE:
            return export
        export.status = RosterExport.Status.RUNNING
        export.save(update_fields=["status"])
    try:
        content, rows = _workbook(export.event, unmasked=export.unmasked)
        name = f"roster-{export.event_id}-{export.pk}.xlsx"
        export.file.save(name, ContentFile(content), save=False)
        export.rows = rows
        export.status = RosterExport.Status.DONE
        export.finished = timezone.now()
        export.save(update_fields=["file", "rows", "status", "finished"])
    except Exception as exc:
        export.status = RosterExport.Status.FAILED
        export.error = f"{type(exc).__name__}"[:300]
        export.save(update_fields=["status", "error"])
        raise
    return export


def _workbook(event: Event, *, unmasked: bool) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("报名名单"))
    for index, (_label, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    title = _("%(title)s 报名名单（导出于 %(time)s）") % {
        "title": event.title, "time": chinese_datetime(timezone.now())}
    sheet.append(spreadsheet.safe_row(sheet, [title]))
    bold = Font(bold=True)
    header = []
    for label, _width in COLUMNS:
        cell = spreadsheet.safe_cell(sheet, label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    labels = dict(Registration.Status.choices)
    rows = 0
    queryset = (
        event.registrations.order_by("id")
        .only("name", "mobile", "email", "organization", "status", "created", "checked_in_at")
    )
    for rows, registration in enumerate(queryset.iterator(chunk_size=2000), start=1):
        sheet.append(spreadsheet.safe_row(sheet, [
            rows,
            registration.name,
            registration.mobile if unmasked else mask_mobile(registration.mobile),
            registration.email,
            registration.organization,
            str(labels.get(registration.status, registration.status)),
            _local(registration.created),
            _local(registration.checked_in_at),
        ]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows
