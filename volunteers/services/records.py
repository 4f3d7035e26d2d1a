"""Service hours: recorded for several volunteers at once, confirmed by staff."""

from datetime import date as date_type
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit
from association.models import AuditEntry

from ..models import ServiceOrder, ServiceRecord, ServiceTeam, Volunteer
from . import ServiceError

MAX_HOURS = Decimal("24")


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("服务时长应为数字，例如 2 或 2.5。")) from None
    if hours <= 0 or hours > MAX_HOURS:
        raise ServiceError(_("单日服务时长应大于 0 且不超过 24 小时。"))
    return hours


def record_hours(
    *,
    volunteers,
    hours,
    date: date_type,
    title: str,
    activity=None,
    order: ServiceOrder | None = None,
    recorded_by,
    team: ServiceTeam | None = None,
    confirm: bool = False,
) -> list[ServiceRecord]:
    """Record ``hours`` on ``date`` for each volunteer; for an order, for any other object
    (``activity``: an event, say, through a generic relation) or by title alone.

    Records start pending unless ``confirm`` (staff entering confirmed figures)."""
    hours = _hours(hours)
    if date > timezone.localdate():
        raise ServiceError(_("服务日期不能晚于今天。"))
    title = (title or "").strip() or (str(order.project) if order else "")
    if not title:
        raise ServiceError(_("请填写服务内容。"))
    volunteers = list(volunteers)
    if not volunteers:
        raise ServiceError(_("请至少选择一名志愿者。"))
    not_approved = [v.name for v in volunteers if v.status != Volunteer.Status.APPROVED]
    if not_approved:
        raise ServiceError(_("以下志愿者尚未通过审核，不能登记时长：%(names)s") % {"names": "、".join(not_approved)})
    if order is not None:
        if order.status not in (ServiceOrder.Status.ACCEPTED, ServiceOrder.Status.DONE, ServiceOrder.Status.RATED):
            raise ServiceError(_("只有已接单或已完成的点单可以登记服务时长。"))
        team = team or order.team
    now = timezone.now()
    records = [
        ServiceRecord(
            volunteer=v,
            team=team,
            date=date,
            hours=hours,
            title=title[:200],
            order=order,
            activity_type=ContentType.objects.get_for_model(activity) if activity is not None else None,
            activity_id=activity.pk if activity is not None else None,
            recorded_by=recorded_by,
            status=ServiceRecord.Status.CONFIRMED if confirm else ServiceRecord.Status.PENDING,
            confirmed_by=recorded_by if confirm else None,
            confirmed_at=now if confirm else None,
        )
        for v in volunteers
    ]
    with transaction.atomic():
        ServiceRecord.objects.bulk_create(records)
        audit.record(
            AuditEntry.Action.CREATE, actor=recorded_by, obj=order,
            detail=f"登记服务时长：{len(records)} 人 × {hours} 小时，{date:%Y-%m-%d}，{title[:60]}",
        )
    return records


def confirm_records(records, *, actor) -> int:
    """Confirm pending records (staff); returns how many changed."""
    with transaction.atomic():
        ids = [r.pk for r in records]
        changed = ServiceRecord.objects.filter(pk__in=ids, status=ServiceRecord.Status.PENDING).update(
            status=ServiceRecord.Status.CONFIRMED, confirmed_by=actor, confirmed_at=timezone.now()
        )
        if changed:
            audit.record(AuditEntry.Action.TRANSITION, actor=actor, from_state="pending", to_state="confirmed",
                         detail=f"确认服务记录 {changed} 条")
    return changed


def reject_records(records, *, actor) -> int:
    with transaction.atomic():
        ids = [r.pk for r in records]
        changed = ServiceRecord.objects.filter(pk__in=ids, status=ServiceRecord.Status.PENDING).update(
            status=ServiceRecord.Status.REJECTED, confirmed_by=actor, confirmed_at=timezone.now()
        )
        if changed:
            audit.record(AuditEntry.Action.TRANSITION, actor=actor, from_state="pending", to_state="rejected",
                         detail=f"不予确认服务记录 {changed} 条")
    return changed
