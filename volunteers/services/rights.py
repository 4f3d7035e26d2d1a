"""A volunteer's rights over their own data, online: a copy of it (xlsx or JSON), edits
of their profile, correction requests and real-name changes that staff handle, and the
closing of their account (注销).

The real-name fields (name, ID number, and the gender and birth date the ID number gives)
change only through staff review: a ``ChangeRequest`` that staff approve (which applies it
with the volunteer's row locked) or refuse. The rest of the profile the person edits
directly.
"""

import io
import json
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit, extensions, spreadsheet
from association.models import AuditEntry
from association.retention import forget_in_audit
from association.states import DomainError, StateMachine

from .. import consents, idcard, notices
from ..models import ChangeRequest, Consent, HoursCertificate, HoursClaim, Membership, ServiceRecord, Volunteer
from ..models.people import id_number_hash, mobile_hash
from ..retention import ANONYMOUS_NAME

# What a person edits on their own; everything else of the profile goes through staff.
SELF_EDITABLE = ("mobile", "email", "political_status", "education", "title", "title_level", "field", "employer",
                 "county", "skills")

R = ChangeRequest.Status
CHANGE_REQUESTS = StateMachine(R, {R.PENDING: {R.APPROVED, R.REFUSED}, R.APPROVED: set(), R.REFUSED: set()})


# -- a copy of one's own data ------------------------------------------------------------

def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else value


def personal_data(volunteer: Volunteer) -> dict[str, list[dict]]:
    """Everything the portal keeps about this volunteer, by section, decrypted: for them only."""
    v = volunteer
    profile = {
        _("姓名"): v.name, _("性别"): v.get_gender_display(), _("出生日期"): v.birth_date, _("身份证号"): v.id_number,
        _("手机号码"): v.mobile, _("电子邮箱"): v.email, _("政治面貌"): v.get_political_status_display(),
        _("学历"): v.get_education_display(), _("职称"): v.title, _("职称级别"): v.get_title_level_display() or "",
        _("专业领域"): v.field, _("工作单位"): v.employer, _("所在县（区）"): v.county.name if v.county_id else "",
        _("专业特长"): v.skills, _("管理单位"): v.unit.name if v.unit_id else "", _("状态"): v.get_status_display(),
        _("监护人姓名"): v.guardian_name, _("监护人手机号码"): v.guardian_mobile,
        _("意向服务队"): "、".join(t.name for t in v.wished_teams.all()), _("注册时间"): v.created,
        _("登录名"): v.user.username if v.user_id else "",
    }
    sections = {
        _("基本资料"): [profile],
        _("所在队伍"): [
            {_("服务队伍"): m.team.name, _("角色"): m.get_role_display(), _("加入日期"): m.joined}
            for m in Membership.objects.filter(volunteer=v).select_related("team").order_by("id")
        ],
        _("服务记录"): [
            {_("服务日期"): r.date, _("服务内容"): r.title, _("服务队伍"): r.team.name if r.team_id else "",
             _("时长（小时）"): r.hours, _("状态"): r.get_status_display(), _("登记时间"): r.recorded_at,
             _("确认时间"): r.confirmed_at}
            for r in ServiceRecord.objects.filter(volunteer=v).select_related("team").order_by("date", "id")
        ],
        _("志愿服务记录证明"): [
            {_("证明编号"): c.number, _("核验码"): c.display_code, _("状态"): c.get_status_display(), _("累计时长（小时）"): c.total_hours,
             _("服务记录数"): c.record_count, _("申请时间"): c.requested_at, _("生成时间"): c.generated_at}
            for c in HoursCertificate.objects.filter(volunteer=v).order_by("requested_at")
        ],
        _("同意记录"): [
            {_("同意事项"): c.get_kind_display(), _("文本版本"): c.version, _("同意时间"): c.given_at,
             _("同意人"): c.given_by or v.name, _("撤回时间"): c.withdrawn_at}
            for c in Consent.objects.filter(volunteer=v).order_by("given_at", "id")
        ],
        _("补录申请"): [
            {_("服务日期"): c.date, _("服务内容"): c.title, _("申请时长（小时）"): c.hours, _("补录理由"): c.reason,
             _("状态"): c.get_status_display(), _("未通过原因"): c.refusal_reason, _("申请时间"): c.submitted_at,
             _("证明材料"): _("已上传") if c.evidence else ""}
            for c in HoursClaim.objects.filter(volunteer=v).order_by("submitted_at", "id")
        ],
        _("更正与变更申请"): [
            {_("类别"): c.get_kind_display(), _("申请说明"): c.message, _("新姓名"): c.new_name,
             _("新身份证号"): c.new_id_number, _("状态"): c.get_status_display(), _("处理意见"): c.reply,
             _("申请时间"): c.created, _("处理时间"): c.decided_at}
            for c in ChangeRequest.objects.filter(volunteer=v).order_by("created")
        ],
    }
    for entry in extensions.personal_data_sections():
        sections[str(entry.template)] = entry.func(v)
    return {str(title): [{str(k): _plain(val) for k, val in row.items()} for row in rows] for title, rows in sections.items()}


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def as_xlsx(data: dict) -> bytes:
    """One sheet a section; the profile as label and value lines; every cell made harmless."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in data.items():
        ws = wb.create_sheet(title[:31])
        if len(rows) == 1 and title == _("基本资料"):
            for key, value in rows[0].items():
                ws.append(spreadsheet.safe_row(ws, [key, value]))
            continue
        if not rows:
            ws.append(spreadsheet.safe_row(ws, [_("（无）")]))
            continue
        ws.append(spreadsheet.safe_row(ws, list(rows[0])))
        for row in rows:
            ws.append(spreadsheet.safe_row(ws, list(row.values())))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_own_data(*, volunteer_id: int, fmt: str, request=None) -> bytes:
    """The person's own data as ``fmt`` ("xlsx" or "json"), recorded in the audit log."""
    volunteer = Volunteer.objects.select_related("county", "unit", "user").get(pk=volunteer_id)
    data = personal_data(volunteer)
    audit.record(AuditEntry.Action.EXPORT, obj=volunteer, request=request,
                 detail=f"本人下载个人信息副本（{'JSON' if fmt == 'json' else 'Excel'}）")
    return as_json(data) if fmt == "json" else as_xlsx(data)


# -- editing one's own profile -----------------------------------------------------------

@transaction.atomic
def update_profile(*, volunteer_id: int, data: dict, request=None) -> Volunteer:
    """The person changes their contact and professional fields (``SELF_EDITABLE``)."""
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("user").get(pk=volunteer_id)
    if volunteer.status == Volunteer.Status.DELETED:
        raise DomainError(_("账号已注销。"))
    changed = [f for f in SELF_EDITABLE if f in data and getattr(volunteer, f) != data[f]]
    if "mobile" in changed and Volunteer.objects.filter(mobile_hash=mobile_hash(data["mobile"])).exclude(pk=volunteer.pk).exists():
        raise DomainError(_("这个手机号码已被其他志愿者登记，请核对。"))
    if "email" in changed and volunteer.user_id:
        User = get_user_model()
        if User.objects.filter(username__iexact=data["email"]).exclude(pk=volunteer.user_id).exists():
            raise DomainError(_("这个电子邮箱已被其他账号使用，请换一个。"))
        volunteer.user.username = volunteer.user.email = data["email"]
        volunteer.user.save(update_fields=["username", "email"])
    for name in changed:
        setattr(volunteer, name, data[name])
    if changed:
        try:
            with transaction.atomic():
                volunteer.save(update_fields=[*changed, "updated"])
        except IntegrityError as exc:
            raise DomainError(_("这个手机号码已被其他志愿者登记，请核对。")) from exc
        labels = "、".join(str(Volunteer._meta.get_field(f).verbose_name) for f in changed)
        audit.record(AuditEntry.Action.CHANGE, obj=volunteer, request=request, detail=f"本人修改资料：{labels}")
    return volunteer


@transaction.atomic
def withdraw_id_number_consent(*, volunteer_id: int, request=None) -> Volunteer:
    """The person withdraws their separate consent to the ID number: the number and its
    look-up hash go at once; gender and birth date stay (they were read from it, and are
    what the portal asks of those who give no ID number)."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
    if not volunteer.id_number:
        raise DomainError(_("您没有登记身份证号。"))
    volunteer.id_number = ""
    volunteer.save(update_fields=["id_number", "updated"])
    Consent.objects.filter(volunteer=volunteer, kind=Consent.Kind.ID_NUMBER, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now())
    audit.record(AuditEntry.Action.CHANGE, obj=volunteer, request=request, detail="本人撤回身份证号单独同意，身份证号已删除")
    return volunteer


# -- correction requests and real-name changes ---------------------------------------------

@transaction.atomic
def request_change(*, volunteer_id: int, kind: str, message: str, new_name: str = "", new_id_number: str = "",
                   id_number_consent: bool = False, request=None) -> ChangeRequest:
    """A correction request (what is wrong, in the person's words) or a real-name change
    (a new name and/or ID number) for staff of the managing unit to handle."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
    if volunteer.status == Volunteer.Status.DELETED:
        raise DomainError(_("账号已注销。"))
    if ChangeRequest.objects.filter(volunteer=volunteer, kind=kind, status=R.PENDING).exists():
        raise DomainError(_("您已有一份同类申请正在处理，请等处理完毕后再提交。"))
    if kind == ChangeRequest.Kind.REAL_NAME:
        new_name = new_name.strip()
        if new_id_number:
            if not id_number_consent:
                raise DomainError(_("登记身份证号须先勾选单独同意。"))
            idcard.parse_id_number(new_id_number)
            if Volunteer.objects.filter(id_number_hash=id_number_hash(new_id_number)).exclude(pk=volunteer.pk).exists():
                raise DomainError(_("这个身份证号已被登记，请核对；如有疑问请联系市科协科学技术普及部。"))
        if not new_name and not new_id_number:
            raise DomainError(_("请填写新的姓名或身份证号。"))
        if id_number_consent and new_id_number:
            Consent.objects.create(volunteer=volunteer, kind=Consent.Kind.ID_NUMBER,
                                   version=consents.ID_NUMBER_CONSENT_VERSION, given_at=timezone.now())
    else:
        new_name = new_id_number = ""
    change = ChangeRequest.objects.create(volunteer=volunteer, kind=kind, message=message.strip(), new_name=new_name,
                                          new_id_number=new_id_number)
    audit.record(AuditEntry.Action.CREATE, obj=change, request=request, detail=f"本人提交{change.get_kind_display()}")
    return change


def _locked_change(change_request_id: int) -> tuple[ChangeRequest, Volunteer]:
    volunteer_id = ChangeRequest.objects.values_list("volunteer_id", flat=True).get(pk=change_request_id)
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("user").get(pk=volunteer_id)
    return ChangeRequest.objects.select_for_update().get(pk=change_request_id), volunteer


@transaction.atomic
def approve_change(*, change_request_id: int, actor, reply: str = "", request=None) -> ChangeRequest:
    """Staff approve: a real-name change is applied to the volunteer (row locked); a
    correction request is marked handled (staff corrected the record themselves)."""
    change, volunteer = _locked_change(change_request_id)
    CHANGE_REQUESTS.check(change.status, R.APPROVED, subject=_("这份申请"))
    if change.kind == ChangeRequest.Kind.REAL_NAME:
        fields = []
        if change.new_name:
            volunteer.name = change.new_name
            fields.append("name")
            if volunteer.user_id:
                volunteer.user.last_name = change.new_name
                volunteer.user.save(update_fields=["last_name"])
        if change.new_id_number:
            info = idcard.parse_id_number(change.new_id_number)
            if Volunteer.objects.filter(id_number_hash=id_number_hash(change.new_id_number)).exclude(pk=volunteer.pk).exists():
                raise DomainError(_("这个身份证号已被其他志愿者登记，不能变更。"))
            volunteer.id_number, volunteer.gender, volunteer.birth_date = change.new_id_number, info.gender, info.birth_date
            fields += ["id_number", "gender", "birth_date"]
        volunteer.save(update_fields=[*fields, "updated"])
        # The request no longer needs the number once it is on the record.
        change.new_id_number = ""
    change.reply, change.decided_at, change.decided_by = reply.strip(), timezone.now(), actor
    CHANGE_REQUESTS.move(change, R.APPROVED, actor=actor, request=request, detail=_("同意申请"),
                         fields=["reply", "decided_at", "decided_by", "new_id_number"], subject=_("这份申请"))
    notices.change_decided(change, volunteer, approved=True)
    return change


@transaction.atomic
def refuse_change(*, change_request_id: int, actor, reply: str, request=None) -> ChangeRequest:
    change, volunteer = _locked_change(change_request_id)
    if not reply.strip():
        raise DomainError(_("请填写不同意的理由，申请人会看到。"))
    change.reply, change.decided_at, change.decided_by = reply.strip(), timezone.now(), actor
    change.new_id_number = ""  # a number that was not accepted is not kept
    CHANGE_REQUESTS.move(change, R.REFUSED, actor=actor, request=request, detail=_("不同意申请"),
                         fields=["reply", "decided_at", "decided_by", "new_id_number"], subject=_("这份申请"))
    notices.change_decided(change, volunteer, approved=False)
    return change


# -- closing the account (注销) ----------------------------------------------------------

@transaction.atomic
def delete_account(*, volunteer_id: int, request=None) -> bool:
    """Close the volunteer's account. Confirmed service hours are what the association must
    keep (the privacy notice: statistics and certificates already issued); they stay on an
    anonymised row (no name, ID number, mobile, e-mail, birth date, nor their look-up hashes:
    a keyed hash of an ID number can be recomputed, so it is not anonymous). Everything
    else goes: the log-in account, memberships, wishes, pending or refused hours, requests,
    certificate files, and what the other apps keep (``extensions.account_erasure``).
    True when a row was kept anonymised, False when nothing was kept."""
    from .review import SUBJECT, VOLUNTEER_STATES

    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
    VOLUNTEER_STATES.check(volunteer.status, Volunteer.Status.DELETED, subject=SUBJECT)
    for entry in extensions.account_erasures():
        entry.func(volunteer, request)
    user_id = volunteer.user_id
    for certificate in volunteer.certificates.exclude(file=""):
        certificate.file.delete(save=True)
    volunteer.records.exclude(status=ServiceRecord.Status.CONFIRMED).delete()
    for change in volunteer.change_requests.all():
        forget_in_audit(change, f"{ANONYMOUS_NAME}#{volunteer.pk}")
    volunteer.change_requests.all().delete()
    # 补录: the evidence files and the requests go; hours they added are confirmed records, kept above.
    for claim in volunteer.hours_claims.exclude(evidence=""):
        claim.evidence.delete(save=False)
    volunteer.hours_claims.all().delete()
    volunteer.memberships.all().delete()
    volunteer.wished_teams.clear()
    kept = volunteer.records.exists()
    audit.record(AuditEntry.Action.DELETE, obj=volunteer, request=request,
                 detail="本人注销账号（已确认的服务时长匿名保留）" if kept else "本人注销账号（全部删除）")
    forget_in_audit(volunteer, f"{ANONYMOUS_NAME}#{volunteer.pk}")
    if kept:
        volunteer.name = ANONYMOUS_NAME
        volunteer.id_number = volunteer.mobile = volunteer.email = ""
        volunteer.guardian_name = volunteer.guardian_mobile = ""
        volunteer.employer = volunteer.skills = volunteer.title = volunteer.rejection_reason = ""
        volunteer.birth_date = None
        volunteer.user = None
        volunteer.status = Volunteer.Status.DELETED
        volunteer.save()
        Consent.objects.filter(volunteer=volunteer).update(given_by="")
        Consent.objects.filter(volunteer=volunteer, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    else:
        volunteer.delete()
    if user_id is not None:
        get_user_model().objects.filter(pk=user_id, is_staff=False, is_superuser=False).delete()
    return kept
