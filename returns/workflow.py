"""A return's way from the unit that fills it in to the level above that accepts it.

填报中 → 已报送 → 已审核通过, or 已报送 → 已退回 (with the reason) → 已报送 again. An accepted
return is locked: it moves no more and nothing in it changes (the roll-up above counts it).

Who may do what:

- the return's own unit's staff fill it in and submit it (``may_fill``);
- the level above reviews it: staff of a unit whose subtree holds the return's unit (but
  not the unit itself), or the city's departments with the right to change returns
  (``may_review``).

Each move holds the row (``select_for_update``), checks, writes and records itself in the
audit log. Refusals are ``DomainError`` with a Chinese message. The level above is told of
a submission, and the unit's accounts of a return (with the reason) or an acceptance, by
e-mail and in their inbox (``returns.notices.tell``, written in the move's transaction and
sent through the outbox once it commits).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit, scoping
from association.models import AuditEntry
from association.states import DomainError, StateMachine

from . import notices, services
from .models import ReturnItem, ReturnValue, StatisticsReturn

Status = StatisticsReturn.Status

RETURNS = StateMachine(Status, {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.ACCEPTED: set(),
})
EDITABLE = (Status.DRAFT, Status.RETURNED)
SIGN_OFF = ("head", "statistician", "filled_by", "phone", "reported_on")
CHANGE_PERM = "returns.change_statisticsreturn"
# A figure that moved by more than this share of last year's accepted one needs a note.
NOTE_AFTER_CHANGE = Decimal("0.5")


# -- who may -------------------------------------------------------------------------------


def filing_unit_id(user) -> int | None:
    """The unit whose return the user fills in: their own unit's, or the city association's
    for the city's departments."""
    unit = scoping.unit_of(user)
    return unit.pk if unit is not None else scoping.city_unit_id()


def may_fill(user, statistics_return: StatisticsReturn) -> bool:
    """The return's own unit's staff (the city's departments for the city's return), with
    the right to change returns."""
    return user.has_perm(CHANGE_PERM) and filing_unit_id(user) == statistics_return.organization_id


def may_review(user, statistics_return: StatisticsReturn) -> bool:
    """The level above: a unit whose subtree holds the return's unit (not the unit itself),
    or the city's departments (no unit membership) with the right to change returns."""
    if not user.has_perm(CHANGE_PERM):
        return False
    unit = scoping.unit_of(user)
    if unit is None:
        return True
    return unit.pk != statistics_return.organization_id and statistics_return.organization_id in scoping.subtree_ids(unit.pk)


def _hold(return_id: int) -> StatisticsReturn:
    return StatisticsReturn.objects.select_for_update().select_related("organization").get(pk=return_id)


def _subject(statistics_return: StatisticsReturn) -> str:
    return f"{statistics_return.organization.name}{statistics_return.year}年统计年报"


def _require_fill(actor, statistics_return: StatisticsReturn) -> None:
    if not may_fill(actor, statistics_return):
        raise DomainError(_("只有本单位的工作人员可以填报和报送本单位的统计年报。"))


def _require_editable(statistics_return: StatisticsReturn) -> None:
    if statistics_return.status == Status.ACCEPTED:
        raise DomainError(_("该统计年报已审核通过，不能再修改。"))
    if statistics_return.status == Status.SUBMITTED:
        raise DomainError(_("该统计年报已报送，正在等待上级审核，不能修改；如需修改请联系上级退回。"))


def _require_review(actor, statistics_return: StatisticsReturn) -> None:
    if not may_review(actor, statistics_return):
        if scoping.unit_of(actor) is not None and scoping.unit_of(actor).pk == statistics_return.organization_id:
            raise DomainError(_("本单位的统计年报由上级审核，不能自己退回或审核通过。"))
        raise DomainError(_("您没有审核该统计年报的权限。"))


# -- filling in ----------------------------------------------------------------------------


def save_entries(return_id: int, values: dict, notes: dict | None = None, sign_off: dict | None = None, *,
                 actor, request=None) -> StatisticsReturn:
    """Store what the unit typed: ``values`` {item id: Decimal or None} of the entered items
    (None clears one), ``notes`` {item id: text} of any item, and the sign-off fields
    (单位负责人, 统计负责人, 填表人, 联系电话, 报出日期). Computed items keep their count."""
    notes = notes or {}
    sign_off = sign_off or {}
    with transaction.atomic():
        statistics_return = _hold(return_id)
        _require_fill(actor, statistics_return)
        _require_editable(statistics_return)
        items = {item.pk: item for item in services.items_for(statistics_return.organization, statistics_return.year)}
        for item_id in set(values) | set(notes):
            item = items.get(int(item_id))
            if item is None:
                raise DomainError(_("该统计项目不属于本单位本年度的报表。"))
            if item_id in values and item.is_computed:
                raise DomainError(_("“%(name)s”由门户记录统计，不能填写。") % {"name": item.name})
        existing = {v.item_id: v for v in statistics_return.values.all()}
        for item_id, item in items.items():
            if item_id not in values and item_id not in notes:
                continue
            row = existing.get(item_id)
            number = values.get(item_id) if not item.is_computed else None
            note = (notes.get(item_id, row.note if row else "") or "").strip()
            if not item.is_computed and item_id in values and number is None:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                if item.is_computed:
                    continue  # counted when the return is opened
                ReturnValue.objects.create(statistics_return=statistics_return, item=item, value=number, note=note)
                continue
            fields = []
            if number is not None and row.value != number:
                row.value = number
                fields.append("value")
            if row.note != note:
                row.note = note
                fields.append("note")
            if fields:
                row.save(update_fields=fields)
        fields = [name for name in SIGN_OFF if name in sign_off]
        for name in fields:
            value = sign_off[name]
            setattr(statistics_return, name, value.strip() if isinstance(value, str) else value)
        if fields:
            statistics_return.save(update_fields=[*fields, "updated"])
        audit.record(AuditEntry.Action.CHANGE, actor=actor, obj=statistics_return, detail=_("保存填报数据"),
                     request=request)
    return statistics_return


@dataclass(frozen=True)
class Problem:
    """One reason the return cannot be submitted; ``field`` names the form field it is
    about (``value_<item id>``, ``note_<item id>``, ``filled_by``, ``phone``)."""

    field: str
    message: str

    def __str__(self):
        return self.message


def _line(item: ReturnItem) -> str:
    return _("%(table)s第%(code)s行“%(name)s”") % {"table": item.table.code, "code": item.code, "name": item.name}


def last_year_figures(statistics_return: StatisticsReturn) -> dict[tuple[str, str], Decimal]:
    """{(表号, 行次): 本级数值} of the unit's accepted return of the year before."""
    last = StatisticsReturn.objects.filter(
        organization_id=statistics_return.organization_id, year=statistics_return.year - 1, status=Status.ACCEPTED
    ).first()
    if last is None:
        return {}
    return {(table, code): value for table, code, value in
            last.values.values_list("item__table__code", "item__code", "value")}


def check_return(return_id: int) -> list[Problem]:
    """What stops the return from being submitted, in the order of the tables."""
    statistics_return = StatisticsReturn.objects.select_related("organization").get(pk=return_id)
    items = list(services.items_for(statistics_return.organization, statistics_return.year))
    rows = {v.item_id: v for v in statistics_return.values.all()}
    last = last_year_figures(statistics_return)
    problems = []
    for item in items:
        row = rows.get(item.pk)
        field = f"value_{item.pk}"
        if row is None:
            if not item.is_computed and item.required:
                problems.append(Problem(field, _("请填写%(line)s。") % {"line": _line(item)}))
            continue
        if row.value < 0:
            problems.append(Problem(field, _("%(line)s不能为负数。") % {"line": _line(item)}))
        if item.part_of_id is not None:
            total = rows.get(item.part_of_id)
            total_value = total.value if total is not None else Decimal(0)
            if row.value > total_value:
                problems.append(Problem(field, _("%(line)s是“%(total)s”（第%(code)s行）的其中项，不能大于它（%(value)s）。") % {
                    "line": _line(item), "total": item.part_of.name, "code": item.part_of.code,
                    "value": _plain(total_value)}))
        before = last.get((item.table.code, item.code))
        if before and abs(row.value - before) > before * NOTE_AFTER_CHANGE and not row.note.strip():
            problems.append(Problem(f"note_{item.pk}", _(
                "%(line)s与上年（%(before)s）相比变化超过一半，请在“说明”中写明原因。") % {
                "line": _line(item), "before": _plain(before)}))
    if not statistics_return.filled_by.strip():
        problems.append(Problem("filled_by", _("请填写填表人。")))
    if not statistics_return.phone.strip():
        problems.append(Problem("phone", _("请填写联系电话。")))
    return problems


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def plain(number) -> str:
    """A figure as a person writes it: 12, 3.5 (not 12.00)."""
    return "" if number is None else _plain(Decimal(number))


# -- the moves -----------------------------------------------------------------------------


def submit(return_id: int, *, actor, request=None) -> StatisticsReturn:
    """填报中/已退回 → 已报送, once nothing stops it (the problems as the refusal's message)."""
    with transaction.atomic():
        statistics_return = _hold(return_id)
        _require_fill(actor, statistics_return)
        if statistics_return.status not in EDITABLE:
            _require_editable(statistics_return)
        problems = check_return(return_id)
        if problems:
            raise DomainError(_("统计年报未能报送，请修改以下问题：%(problems)s") % {
                "problems": "；".join(str(p) for p in problems)})
        statistics_return.submitted_at = timezone.now()
        statistics_return.returned_reason = ""
        fields = ["submitted_at", "returned_reason"]
        if statistics_return.reported_on is None:
            statistics_return.reported_on = timezone.localdate()
            fields.append("reported_on")
        RETURNS.move(statistics_return, Status.SUBMITTED, actor=actor, request=request, fields=fields,
                     subject=_subject(statistics_return))
        # The level above is told there is a return to review.
        notices.tell(statistics_return)
    return statistics_return


def send_back(return_id: int, reason: str, *, actor, request=None) -> StatisticsReturn:
    """已报送 → 已退回, with the reason the unit will read."""
    reason = (reason or "").strip()
    with transaction.atomic():
        statistics_return = _hold(return_id)
        _require_review(actor, statistics_return)
        if not reason:
            raise DomainError(_("退回时请填写退回原因。"))
        statistics_return.returned_reason = reason
        RETURNS.move(statistics_return, Status.RETURNED, actor=actor, request=request, fields=["returned_reason"],
                     detail=reason[:500], subject=_subject(statistics_return))
        notices.tell(statistics_return)
    return statistics_return


def accept(return_id: int, *, actor, request=None) -> StatisticsReturn:
    """已报送 → 已审核通过: the return is locked and counts in the roll-up above."""
    with transaction.atomic():
        statistics_return = _hold(return_id)
        _require_review(actor, statistics_return)
        statistics_return.accepted_at = timezone.now()
        statistics_return.accepted_by = actor if getattr(actor, "is_authenticated", False) else None
        RETURNS.move(statistics_return, Status.ACCEPTED, actor=actor, request=request,
                     fields=["accepted_at", "accepted_by"], subject=_subject(statistics_return))
        notices.tell(statistics_return)
    return statistics_return
