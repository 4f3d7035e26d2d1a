"""Refusals and state machines, one of each for every app.

``DomainError`` is what a service raises when the rules do not allow what was asked: its
``message`` is Chinese, fit to show as it is (a view puts it on the form or in a message,
an admin action beside the row). Every app's refusals derive from it, so a view or an
admin action catches one class.

``StateMachine`` holds an object's table of allowed moves and makes a move the one way:
check it against the table (``TransitionNotAllowed`` otherwise), write the status with
the fields the move changes, record who moved it from what to what in the audit log. The
caller holds the row (``select_for_update``) and does the move's own work around it.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """A request the rules refuse; ``message`` (and ``str()``) is Chinese for people."""

    default_message = gettext_lazy("操作未能完成。")

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class TransitionNotAllowed(DomainError):
    """A move the object's table of allowed moves does not list."""

    default_message = gettext_lazy("当前状态下不能进行此操作。")


class StateMachine:
    """The allowed moves of one status field: ``{from: {to, …}}`` over a ``TextChoices``."""

    def __init__(self, choices, transitions: dict[str, Iterable[str]], *, field: str = "status"):
        self.choices = choices
        self.transitions = {source: frozenset(targets) for source, targets in transitions.items()}
        self.field = field
        missing = set(choices.values) - set(self.transitions)
        if missing:
            raise ValueError(f"{choices.__name__}: no row for {sorted(missing)} in the table of moves")

    def allows(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, ())

    def targets(self, current: str) -> frozenset[str]:
        return self.transitions.get(current, frozenset())

    def check(self, current: str, target: str, *, subject: str = "") -> None:
        """Raise ``TransitionNotAllowed`` unless ``current`` may become ``target``."""
        if not self.allows(current, target):
            raise TransitionNotAllowed(
                _("%(subject)s当前为“%(current)s”，不能变为“%(target)s”。")
                % {"subject": subject, "current": self.choices(current).label, "target": self.choices(target).label}
            )

    def move(self, obj, target: str, *, actor=None, request=None, detail: str = "", subject: str = "",
             fields: Iterable[str] = (), audit_entry: bool = True) -> str:
        """Check, set and save ``obj``'s status (with ``fields`` the caller set for this move)
        and record the move; returns the status it had."""
        from . import audit
        from .models import AuditEntry

        current = getattr(obj, self.field)
        self.check(current, target, subject=subject)
        setattr(obj, self.field, target)
        update = [self.field, *(f for f in fields if f != self.field)]
        if any(f.name == "updated" for f in obj._meta.concrete_fields) and "updated" not in update:
            update.append("updated")
        obj.save(update_fields=update)
        if audit_entry:
            audit.record(AuditEntry.Action.TRANSITION, actor=actor, obj=obj, from_state=current, to_state=target,
                         detail=detail, request=request)
        return current
