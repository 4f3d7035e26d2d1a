"""The texts people agree to, each with its own version, and the age rules that decide
which of them are asked for.

Bump a version whenever its template's wording changes, so each ``Consent`` row (and each
guardian statement on an event sign-up) says which text was agreed to:

- the privacy notice (``templates/volunteers/privacy_notice.html``): ``PRIVACY_NOTICE_VERSION``;
- the separate consent to processing the ID number, a sensitive item under 个人信息保护法
  art. 28–29 (``templates/volunteers/id_number_consent.html``): ``ID_NUMBER_CONSENT_VERSION``;
- the guardian's statement for a child under 14 (art. 31), used by volunteer registration
  and by the sign-up of events for young people
  (``templates/volunteers/guardian_statement.html``): ``GUARDIAN_STATEMENT_VERSION``.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone

PRIVACY_NOTICE_VERSION = "2026-12"
ID_NUMBER_CONSENT_VERSION = "2026-12"
GUARDIAN_STATEMENT_VERSION = "2026-12"

# 个人信息保护法 art. 28, 31: the personal information of a child under 14 is processed
# only with a parent's or guardian's consent.
GUARDIAN_AGE = 14


def age_on(birth_date: date, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def needs_guardian(birth_date: date | None) -> bool:
    return birth_date is not None and age_on(birth_date) < GUARDIAN_AGE


def volunteer_min_age() -> int:
    """The youngest a volunteer may register (科技志愿者: 16 unless the association lowers it
    for a youth programme, when a child under 14 also needs a guardian)."""
    return getattr(settings, "VOLUNTEER_MIN_AGE", 16)
