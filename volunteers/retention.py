"""The volunteers' part of the daily retention run, as the privacy notice promises
(``templates/volunteers/privacy_notice.html`` quotes the same settings):

- a registration that was not approved is deleted, with its log-in account, a set time
  (``VOLUNTEER_REJECTED_RETENTION_DAYS``) after the decision;
- a volunteer suspended (注销) for ``VOLUNTEER_SUSPENDED_RETENTION_YEARS`` is anonymised:
  name, ID number, mobile, e-mail, birth date, employer and skills go, the account is
  closed; gender, county, field, title level and the service hours stay for statistics;
- an hours certificate's PDF is deleted ``CERTIFICATE_FILE_RETENTION_DAYS`` after it was
  made; its code still verifies (masked name and totals), and a new one can be asked for.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from association import extensions
from association.retention import forget_in_audit, years_ago

from .models import HoursCertificate, HoursClaim, Volunteer

ANONYMOUS_NAME = "已注销志愿者"


def _close_account(user_id) -> bool:
    """Delete the volunteer's own log-in account; a staff account is only unlinked."""
    if user_id is None:
        return False
    deleted, _ = get_user_model().objects.filter(pk=user_id, is_staff=False, is_superuser=False).delete()
    return bool(deleted)


@extensions.retention_rule(40)
def delete_rejected_registrations(now) -> dict:
    days = settings.VOLUNTEER_REJECTED_RETENTION_DAYS
    old = Volunteer.objects.filter(
        Q(reviewed_at__lt=now - timedelta(days=days)) | Q(reviewed_at__isnull=True, updated__lt=now - timedelta(days=days)),
        status=Volunteer.Status.REJECTED,
    )
    volunteers = accounts = 0
    for volunteer in old.select_for_update().only("pk", "user_id"):
        forget_in_audit(volunteer, f"{ANONYMOUS_NAME}#{volunteer.pk}")
        user_id = volunteer.user_id
        for certificate in volunteer.certificates.exclude(file=""):
            certificate.file.delete(save=False)
        volunteer.delete()
        accounts += _close_account(user_id)
        volunteers += 1
    return {"未通过审核的注册信息": volunteers, "随之删除的登录账号": accounts}


@extensions.retention_rule(50)
def anonymise_suspended_volunteers(now) -> dict:
    old = Volunteer.objects.filter(
        status=Volunteer.Status.SUSPENDED, reviewed_at__lt=years_ago(now, settings.VOLUNTEER_SUSPENDED_RETENTION_YEARS)
    ).exclude(name=ANONYMOUS_NAME)
    volunteers = accounts = 0
    for volunteer in old.select_for_update():
        forget_in_audit(volunteer, f"{ANONYMOUS_NAME}#{volunteer.pk}")
        user_id = volunteer.user_id
        volunteer.name = ANONYMOUS_NAME
        volunteer.id_number = volunteer.mobile = volunteer.email = ""
        volunteer.guardian_name = volunteer.guardian_mobile = ""
        volunteer.employer = volunteer.skills = volunteer.title = volunteer.rejection_reason = ""
        volunteer.birth_date = None
        volunteer.user = None
        volunteer.save()
        volunteer.wished_teams.clear()
        for certificate in volunteer.certificates.exclude(file=""):
            certificate.file.delete(save=True)
        accounts += _close_account(user_id)
        volunteers += 1
    return {"注销满期的志愿者（已匿名化）": volunteers, "随之删除的登录账号": accounts}


@extensions.retention_rule(60)
def expire_certificate_files(now) -> dict:
    days = settings.CERTIFICATE_FILE_RETENTION_DAYS
    old = HoursCertificate.objects.filter(
        Q(generated_at__lt=now - timedelta(days=days)) | Q(generated_at__isnull=True, requested_at__lt=now - timedelta(days=days))
    ).exclude(file="")
    files = 0
    for certificate in old.select_for_update():
        certificate.file.delete(save=True)
        files += 1
    failed, _ = HoursCertificate.objects.filter(
        status=HoursCertificate.Status.FAILED, requested_at__lt=now - timedelta(days=30)
    ).delete()
    return {"到期的志愿服务记录证明文件": files, "生成失败的证明申请": failed}


@extensions.retention_rule(44)
def delete_old_claim_evidence(now) -> dict:
    """补录 evidence goes CLAIM_EVIDENCE_RETENTION_DAYS after the claim was decided; the claim
    (date, hours, reason, decision) and the hours it granted stay."""
    old = (HoursClaim.objects.filter(decided_at__lt=now - timedelta(days=settings.CLAIM_EVIDENCE_RETENTION_DAYS))
           .exclude(evidence=""))
    files = 0
    for claim in old.select_for_update().only("pk", "evidence"):
        claim.evidence.delete(save=False)
        claim.save(update_fields=["evidence"])
        files += 1
    return {"到期的补录证明材料": files}
