"""Service hours: recorded for several volunteers at once, confirmed by staff."""

from datetime import date as date_type
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit
from association.models import AuditEntry
from association.states import DomainError, StateMachine

from .. import notices
from ..models import ServiceOrder, ServiceRecord, Volunteer

R = ServiceRecord.Status
RECORD_STATES = StateMachine(R, {R.PENDING: {R.CONFIRMED, R.REJECTED}, R.CONFIRMED: set(), R.REJECTED: set()})
MAX_HOURS = Decimal("24")


def round_hours(value) -> Decimal:
    """Hours as the portal keeps them: to one decimal place (6 minutes)."""
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _hours(value) -> Decimal:
    try:
        hours = round_hours(value)
    except (InvalidOperation, ValueError):
        raise DomainError(_("服务时长应为数字，例如 2 或 2.5。")) from None
    if hours <= 0 or hours > MAX_HOURS:
        raise DomainError(_("单日服务时长应大于 0 且不超过 24 小时。"))
    return hours


def record_hours(
    *,
    volunteer_ids,
    hours,
    date: date_type,
    title: str,
    activity=None,
    order_id: int | None = None,
    recorded_by,
    team_id: int | None = None,
    confirm: bool = False,
) -> list[ServiceRecord]:
    """Record ``hours`` on ``date`` for each volunteer; for an order, for any other object
    (``activity``: an event, say, through a generic relation; the service only notes its
    type and id) or by title alone.

    Records start pending unless ``confirm`` (staff entering confirmed figures)."""
    hours = _hours(hours)
    if date > timezone.localdate():
        raise DomainError(_("服务日期不能晚于今天。"))
    volunteer_ids = list(dict.fromkeys(volunteer_ids))
    with transaction.atomic():
        order = None
        if order_id is not None:
            order = ServiceOrder.objects.select_for_update(of=("self",)).select_related("project").get(pk=order_id)
        title = (title or "").strip() or (str(order.project) if order else "")
        if not title:
            raise DomainError(_("请填写服务内容。"))
        volunteers = list(Volunteer.objects.filter(pk__in=volunteer_ids).only("id", "name", "status"))
        if not volunteers:
            raise DomainError(_("请至少选择一名志愿者。"))
        position = {pk: i for i, pk in enumerate(volunteer_ids)}
        volunteers.sort(key=lambda v: position[v.pk])
        not_approved = [v.name for v in volunteers if v.status != Volunteer.Status.APPROVED]
        if not_approved:
            raise DomainError(_("以下志愿者尚未通过审核，不能登记时长：%(names)s") % {"names": "、".join(not_approved)})
        if order is not None:
            if not order.takes_hours:
                raise DomainError(_("只有已接单或已完成的点单可以登记服务时长。"))
            team_id = team_id or order.team_id
        now = timezone.now()
        activity_type = ContentType.objects.get_for_model(activity) if activity is not None else None
        records = [
            ServiceRecord(
                volunteer=v,
                team_id=team_id,
                date=date,
                hours=hours,
                title=title[:200],
                order=order,
                activity_type=activity_type,
                activity_id=activity.pk if activity is not None else None,
                recorded_by=recorded_by,
                status=R.CONFIRMED if confirm else R.PENDING,
                confirmed_by=recorded_by if confirm else None,
                confirmed_at=now if confirm else None,
            )
            for v in volunteers
        ]
        ServiceRecord.objects.bulk_create(records)
        if confirm:  # confirmed as entered: the volunteers are told as when staff confirm
            people = Volunteer.objects.select_related("user").in_bulk([v.pk for v in volunteers])
            for record in records:
                record.volunteer = people[record.volunteer_id]
            notices.hours_confirmed(records)
        audit.record(
            AuditEntry.Action.CREATE, actor=recorded_by, obj=order,
            detail=f"登记服务时长：{len(records)} 人 × {hours} 小时，{date:%Y-%m-%d}，{title[:60]}",
        )
    return records


def _decide(record_ids, target: str, *, actor, detail: str) -> int:
    """Move the selected records that may become ``target`` (the pending ones), in one update."""
    sources = [s for s in R.values if RECORD_STATES.allows(s, target)]
    with transaction.atomic():
        moving = list(ServiceRecord.objects.select_for_update(of=("self",)).filter(pk__in=list(record_ids), status__in=sources)
                      .select_related("volunteer__user").order_by("pk"))
        changed = ServiceRecord.objects.filter(pk__in=[r.pk for r in moving]).update(
            status=target, confirmed_by=actor, confirmed_at=timezone.now()
        )
        if changed and target == R.CONFIRMED:
            notices.hours_confirmed(moving)
        if changed:
            audit.record(AuditEntry.Action.TRANSITION, actor=actor, from_state=R.PENDING, to_state=target,
                         detail=detail % {"n": changed})
    return changed


def confirm_records(*, record_ids, actor) -> int:
    """Confirm pending records (staff); returns how many changed."""
    return _decide(record_ids, R.CONFIRMED, actor=actor, detail="确认服务记录 %(n)s 条")


def reject_records(*, record_ids, actor) -> int:
    return _decide(record_ids, R.REJECTED, actor=actor, detail="不予确认服务记录 %(n)s 条")
