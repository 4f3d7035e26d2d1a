"""Self-registration: one real-name volunteer and their login account, or nothing."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association import audit
from association.models import AuditEntry

from .. import idcard
from ..models import Volunteer
from ..models.people import id_number_hash, mobile_hash
from . import ServiceError

# The privacy notice people agree to; bump the version whenever its text changes
# (templates/volunteers/privacy_notice.html) so each consent says which text it was.
CONSENT_VERSION = "2025-02"


def retention_periods() -> dict:
    """How long the notice says each kind of data is kept: the settings the daily
    retention run (``volunteers/retention.py``) applies, so the two cannot drift apart."""
    from django.conf import settings

    return {
        "rejected_days": settings.VOLUNTEER_REJECTED_RETENTION_DAYS,
        "suspended_years": settings.VOLUNTEER_SUSPENDED_RETENTION_YEARS,
        "certificate_days": settings.CERTIFICATE_FILE_RETENTION_DAYS,
        "audit_years": settings.AUDIT_RETENTION_YEARS,
    }

DUPLICATE_MESSAGE = _(
    "无法用您填写的身份证号或手机号完成注册。如您此前已经注册，请直接登录；"
    "如有疑问，请联系市科协科学技术普及部。"
)


class DuplicateRegistration(ServiceError):
    pass


def identity_taken(*, id_number: str, mobile: str) -> bool:
    return Volunteer.objects.filter(id_number_hash=id_number_hash(id_number)).exists() or Volunteer.objects.filter(
        mobile_hash=mobile_hash(mobile)
    ).exists()


def register_volunteer(*, data: dict, password: str, wished_teams=(), request=None) -> Volunteer:
    """Create the account and the pending volunteer together.

    ``data`` holds the model fields from the form (id_number and mobile already
    normalised). Gender and birth date are not asked for: they are read from the ID
    number, so the record can never disagree with it. Two people racing with the same
    ID number end with one record: the unique index on the hash refuses the second,
    which gets the same neutral message as a plain duplicate.
    """
    if identity_taken(id_number=data["id_number"], mobile=data["mobile"]):
        raise DuplicateRegistration(DUPLICATE_MESSAGE)
    info = idcard.parse_id_number(data["id_number"])
    data = {**data, "gender": info.gender, "birth_date": info.birth_date}
    User = get_user_model()
    username = data["email"].strip().lower()
    try:
        with transaction.atomic():
            if User.objects.filter(username__iexact=username).exists():
                raise DuplicateRegistration(DUPLICATE_MESSAGE)
            user = User(username=username, email=username, last_name=data["name"])
            user.set_password(password)
            user.save()
            volunteer = Volunteer(
                user=user,
                status=Volunteer.Status.PENDING,
                consent_version=CONSENT_VERSION,
                consent_at=timezone.now(),
                **data,
            )
            volunteer.save()
            if wished_teams:
                volunteer.wished_teams.set(wished_teams)
            audit.record(AuditEntry.Action.CREATE, obj=volunteer, request=request, detail="志愿者自助注册")
    except IntegrityError:
        raise DuplicateRegistration(DUPLICATE_MESSAGE) from None
    return volunteer
