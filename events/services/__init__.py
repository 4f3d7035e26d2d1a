"""Every change of state in the events app: plain functions inside transactions.

- ``events``: publish, cancel, finish and copy an event;
- ``registrations``: sign up, approve, reject, cancel, promote from the waiting list, check in;
- ``exports``: roster workbooks.

Refusals are ``association.states.DomainError`` (forbidden moves its
``TransitionNotAllowed``); ``errors`` holds the kinds the pages tell apart.
"""

from .errors import (  # noqa: F401
    AlreadyCheckedIn,
    Busy,
    CheckInRefused,
    DuplicateRegistration,
    EventFull,
    GuardianRequired,
    SignupClosed,
    UnknownCode,
)
