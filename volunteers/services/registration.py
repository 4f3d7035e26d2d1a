"""Self-registration: one real-name volunteer and their login account, or nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from association import audit, queue
from association.models import AuditEntry

from .. import consents, idcard
from ..models import Consent, Volunteer
from ..models.people import id_number_hash, mobile_hash
from .units import managing_unit_id

# The privacy notice people agree to; its version lives with the other texts' versions.
CONSENT_VERSION = consents.PRIVACY_NOTICE_VERSION
VERSIONS = {
    Consent.Kind.PRIVACY_NOTICE: consents.PRIVACY_NOTICE_VERSION,
    Consent.Kind.ID_NUMBER: consents.ID_NUMBER_CONSENT_VERSION,
    Consent.Kind.GUARDIAN: consents.GUARDIAN_STATEMENT_VERSION,
}
ATTEMPT_NOTICE = "volunteers.tasks.send_registration_attempt_notice"


def retention_periods() -> dict:
    """How long the notice says each kind of data is kept: the settings the daily
    retention run (``volunteers/retention.py``) applies, so the two cannot drift apart."""
    from django.conf import settings

    return {
        "rejected_days": settings.VOLUNTEER_REJECTED_RETENTION_DAYS,
        "suspended_years": settings.VOLUNTEER_SUSPENDED_RETENTION_YEARS,
        "certificate_days": settings.CERTIFICATE_FILE_RETENTION_DAYS,
        "claim_evidence_days": settings.CLAIM_EVIDENCE_RETENTION_DAYS,
        "audit_years": settings.AUDIT_RETENTION_YEARS,
    }


def _owners(*, id_number: str, mobile: str, email: str) -> list:
    """Whoever already holds this ID number, mobile or e-mail: volunteers, and accounts
    (a reviewer's or a staff member's) with this e-mail as their user name."""
    same = Q(mobile_hash=mobile_hash(mobile)) | Q(user__username__iexact=email)
    if id_number:
        same |= Q(id_number_hash=id_number_hash(id_number))
    volunteers = list(Volunteer.objects.filter(same).select_related("user"))
    accounts = [
        user for user in get_user_model().objects.filter(username__iexact=email)
        if not any(v.user_id == user.pk for v in volunteers)
    ]
    return [*volunteers, *accounts]


def _tell_owners(owners: list) -> None:
    """Each owner gets an e-mail saying someone tried to register with their data."""
    for owner in owners:
        if isinstance(owner, Volunteer):
            queue.enqueue(ATTEMPT_NOTICE, volunteer_id=owner.pk)
        else:
            queue.enqueue(ATTEMPT_NOTICE, user_id=owner.pk)


def register_volunteer(*, data: dict, password: str, wished_teams=(), given=(Consent.Kind.PRIVACY_NOTICE,),
                       request=None) -> Volunteer | None:
    """Create the account and the pending volunteer together; None when the ID number, the
    mobile or the e-mail is already registered.

    Whether it was is never told to whoever is registering: the page answers the same, and
    the one who registered first is told by e-mail instead (they may have forgotten, or
    someone is using their data). The password is hashed either way, so the answer takes as
    long.

    ``data`` holds the model fields from the form (id_number and mobile already
    normalised). Gender and birth date are not asked for: they are read from the ID
    number, so the record can never disagree with it. Two people racing with the same
    ID number end with one record: the unique index on the hash refuses the second,
    which is then answered like any other duplicate. The volunteer's managing unit (管理单位)
    follows ``units.managing_unit_id``: the first wished team's unit, else the county's 科协.

    ``given`` are the consents (``Consent.Kind``) ticked on the form; each is recorded with
    its text's version. Without the separate consent to the ID number no ID number is
    kept (gender and birth date then come from ``data``); a child under 14 is kept only
    with a guardian's name, mobile and statement.
    """
    given = set(given)
    if Consent.Kind.PRIVACY_NOTICE not in given:
        raise ValueError("registration without consent to the privacy notice")
    if Consent.Kind.ID_NUMBER not in given:
        data = {**data, "id_number": ""}
    User = get_user_model()
    username = data["email"].strip().lower()
    owners = _owners(id_number=data["id_number"], mobile=data["mobile"], email=username)
    if owners:
        make_password(password)
        _tell_owners(owners)
        return None
    if data["id_number"]:
        info = idcard.parse_id_number(data["id_number"])
        data = {**data, "gender": info.gender, "birth_date": info.birth_date}
    if consents.needs_guardian(data.get("birth_date")) and not (
        Consent.Kind.GUARDIAN in given and data.get("guardian_name") and data.get("guardian_mobile")
    ):
        raise ValueError("a child under 14 without a guardian's statement")
    if not consents.needs_guardian(data.get("birth_date")):
        given.discard(Consent.Kind.GUARDIAN)
        data = {**data, "guardian_name": "", "guardian_mobile": ""}
    wished_teams = list(wished_teams)
    county = data.get("county")
    unit_id = managing_unit_id(teams=wished_teams, county_id=county.pk if county is not None else None)
    try:
        with transaction.atomic():
            user = User(username=username, email=username, last_name=data["name"])
            user.set_password(password)
            user.save()
            volunteer = Volunteer(
                user=user,
                status=Volunteer.Status.PENDING,
                consent_version=CONSENT_VERSION,
                consent_at=timezone.now(),
                unit_id=unit_id,
                **data,
            )
            volunteer.save()
            if wished_teams:
                volunteer.wished_teams.set(wished_teams)
            now = timezone.now()
            Consent.objects.bulk_create([
                Consent(volunteer=volunteer, kind=kind, version=VERSIONS[kind], given_at=now,
                        given_by=data.get("guardian_name", "") if kind == Consent.Kind.GUARDIAN else "")
                for kind in sorted(given)
            ])
            audit.record(AuditEntry.Action.CREATE, obj=volunteer, request=request, detail="志愿者自助注册")
    except IntegrityError:
        _tell_owners(_owners(id_number=data["id_number"], mobile=data["mobile"], email=username))
        return None
    return volunteer
