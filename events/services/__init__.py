"""Every change of state in the events app: plain functions inside transactions.

- ``events``: publish, cancel, finish and copy an event;
- ``registrations``: sign up, approve, reject, cancel, promote from the waiting list, check in;
- ``exports``: roster workbooks.
"""

from .errors import (  # noqa: F401
    AlreadyCheckedIn,
    Busy,
    DuplicateRegistration,
    EventError,
    EventFull,
    InvalidTransition,
    SignupClosed,
    UnknownCode,
)
