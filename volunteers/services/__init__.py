"""Every change of state in the volunteers app, one module per piece of work.

Views, admin actions and tasks call these functions; they validate, write inside a
transaction, record what happened (association.audit) and schedule follow-up work with
``transaction.on_commit``. A refused change raises :class:`ServiceError` whose message is
Chinese and fit to show as it is.
"""


class ServiceError(Exception):
    """A change the rules do not allow; ``str(error)`` is the Chinese message to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class TransitionNotAllowed(ServiceError):
    pass


def check_transition(table: dict, current: str, target: str, labels) -> None:
    """Raise TransitionNotAllowed unless ``table[current]`` allows ``target``."""
    if target not in table.get(current, ()):
        from django.utils.translation import gettext as _

        raise TransitionNotAllowed(
            _("当前状态为“%(current)s”，不能变更为“%(target)s”。")
            % {"current": labels(current).label, "target": labels(target).label}
        )
