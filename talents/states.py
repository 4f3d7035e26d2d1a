"""The state machines of the app, each in one table: which status may follow which.

Services consult these tables before every change; a change that is not listed raises
:class:`TransitionNotAllowed`, whose message the views show as it is (in Chinese).
"""

from django.utils.translation import gettext_lazy as _

from .models import AwardRound, Nomination, TechDemand


class TalentsError(Exception):
    """A rule of the domain was broken; ``str(error)`` is a message for people, in Chinese."""


class TransitionNotAllowed(TalentsError):
    pass


N = Nomination.Status
NOMINATION_TRANSITIONS: dict[str, set[str]] = {
    N.SUBMITTED: {N.ELIGIBLE, N.INELIGIBLE},
    N.ELIGIBLE: {N.IN_REVIEW, N.INELIGIBLE},
    N.IN_REVIEW: {N.SHORTLISTED, N.NOT_AWARDED},
    N.SHORTLISTED: {N.IN_REVIEW, N.PUBLICISED},
    N.PUBLICISED: {N.AWARDED, N.NOT_AWARDED},
    N.INELIGIBLE: set(),
    N.AWARDED: set(),
    N.NOT_AWARDED: set(),
}

R = AwardRound.Status
ROUND_TRANSITIONS: dict[str, set[str]] = {
    R.PREPARING: {R.NOMINATING},
    R.NOMINATING: {R.REVIEWING},
    R.REVIEWING: {R.PUBLICISING},
    R.PUBLICISING: {R.ANNOUNCED},
    R.ANNOUNCED: set(),
}

D = TechDemand.Status
DEMAND_TRANSITIONS: dict[str, set[str]] = {
    D.COLLECTED: {D.CHECKED, D.REJECTED},
    D.CHECKED: {D.PUBLISHED, D.REJECTED},
    D.PUBLISHED: {D.MATCHED, D.CLOSED},
    D.MATCHED: {D.SOLVED, D.CLOSED},
    D.SOLVED: set(),
    D.REJECTED: set(),
    D.CLOSED: set(),
}


def ensure_allowed(table: dict[str, set[str]], choices, current: str, target: str) -> None:
    if target not in table.get(current, set()):
        raise TransitionNotAllowed(
            _("当前状态为“%(current)s”，不能变更为“%(target)s”。")
            % {"current": choices(current).label, "target": choices(target).label}
        )
