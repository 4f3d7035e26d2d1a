"""志愿服务记录证明: requested by the volunteer, built as a PDF by a worker, checked by anyone."""

import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit, queue, scoping
from association.formatting import chinese_date
from association.models import AuditEntry, Organization, SiteSettings
from association.states import DomainError, StateMachine

from .. import notices
from ..models import HoursCertificate, ServiceRecord, Volunteer

C = HoursCertificate.Status
CERTIFICATE_STATES = StateMachine(C, {
    C.PENDING: {C.READY, C.FAILED},
    C.FAILED: {C.READY},
    C.READY: {C.REVOKED},
    C.REVOKED: set(),
})
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by hand
TABLE_ROWS = 40


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def normalise_code(value: str) -> str:
    return "".join(c for c in (value or "").upper() if c.isalnum())[:16]


def unavailable_reason(volunteer: Volunteer, *, confirmed_records: int) -> str:
    """Why the volunteer cannot ask for a certificate yet and when they can; empty when they can."""
    if volunteer.status == Volunteer.Status.PENDING:
        return _("审核通过后可申请：科普部工作人员审核通过您的注册、并确认您的服务时长后，即可在这里申请开具证明。")
    if volunteer.status == Volunteer.Status.REJECTED:
        return _("注册未通过审核，不能申请志愿服务记录证明。")
    if volunteer.status == Volunteer.Status.SUSPENDED:
        return _("志愿者身份暂停期间不能申请证明，恢复后即可申请。")
    if not confirmed_records:
        return _("您还没有经过确认的服务记录：参加服务、由工作人员确认时长后即可申请。")
    return ""


def request_certificate(*, volunteer_id: int, request=None) -> HoursCertificate:
    """Snapshot the confirmed hours now; a worker builds the PDF after the commit."""
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
        if volunteer.status != Volunteer.Status.APPROVED:
            raise DomainError(unavailable_reason(volunteer, confirmed_records=0))
        pending = volunteer.certificates.filter(status=HoursCertificate.Status.PENDING).first()
        if pending:
            return pending
        totals = volunteer.records.filter(status=ServiceRecord.Status.CONFIRMED).aggregate(
            hours=Sum("hours"), n=Count("id"), first=Min("date"), last=Max("date")
        )
        if not totals["n"]:
            raise DomainError(unavailable_reason(volunteer, confirmed_records=0))
        issuer = issuing_unit(volunteer)
        site = SiteSettings.load()
        certificate = HoursCertificate.objects.create(
            volunteer=volunteer, code=new_code(), total_hours=totals["hours"], record_count=totals["n"],
            first_date=totals["first"], last_date=totals["last"], issued_on=timezone.localdate(),
            issuer=issuer, issuer_name=issuer.name if issuer else site.name,
            handler=(issuer.certificate_handler or issuer.contact_person) if issuer else "",
            contact_phone=(issuer.certificate_phone or issuer.phone or site.hotline) if issuer else site.hotline,
        )
        audit.record(AuditEntry.Action.CREATE, obj=certificate, request=request, detail="申请志愿服务记录证明")
        queue.enqueue("volunteers.tasks.build_hours_certificate", certificate.pk)
    return certificate


def issuing_unit(volunteer: Volunteer) -> Organization | None:
    """Who issues the volunteer's certificate: their managing unit (管理单位) if it has a seal
    uploaded, else the nearest unit above it that has one; with no seal anywhere up the tree,
    the managing unit itself (or the city association), and the paper carries no seal."""
    start = volunteer.unit_id or scoping.city_unit_id()
    if start is None:
        return None
    chain = [start, *scoping.ancestor_ids(start)]
    units = Organization.objects.in_bulk(chain)
    return next((units[pk] for pk in chain if pk in units and units[pk].seal), units.get(start))


def revoke(*, certificate_id: int, actor, reason: str, request=None) -> HoursCertificate:
    """Staff withdraw a certificate (wrong hours, issued in error): the public check says so from now on."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销原因。"))
    with transaction.atomic():
        certificate = HoursCertificate.objects.select_for_update(of=("self",)).select_related("volunteer__user").get(
            pk=certificate_id)
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor if actor is not None and actor.is_authenticated else None
        certificate.revocation_reason = reason
        CERTIFICATE_STATES.move(certificate, C.REVOKED, actor=actor, request=request, detail=reason,
                                subject=_("该证明"), fields=["revoked_at", "revoked_by", "revocation_reason"])
        notices.certificate_revoked(certificate)
    return certificate


def verify(code: str) -> HoursCertificate | None:
    """The certificate with this code if it was ever given out (valid or revoked), else None."""
    code = normalise_code(code)
    if len(code) != 12:
        return None
    return (
        HoursCertificate.objects.select_related("volunteer")
        .filter(code=code, status__in=[C.READY, C.REVOKED])
        .first()
    )


def verification_url(certificate: HoursCertificate) -> str:
    return settings.SITE_URL + reverse("volunteers:certificate_verify_code", args=[certificate.display_code])


def build(certificate_id: int) -> HoursCertificate:
    """Build and store the PDF; safe to run twice (a ready certificate is left alone)."""
    certificate = HoursCertificate.objects.select_related("volunteer", "issuer").get(pk=certificate_id)
    if (certificate.status == C.READY and certificate.file) or certificate.status == C.REVOKED:
        return certificate
    pdf = render_pdf(certificate)
    with transaction.atomic():
        certificate = HoursCertificate.objects.select_for_update().get(pk=certificate_id)
        if (certificate.status == C.READY and certificate.file) or certificate.status == C.REVOKED:
            return certificate
        certificate.file.save(f"hours-{certificate.code}.pdf", ContentFile(pdf), save=False)
        certificate.status = HoursCertificate.Status.READY
        certificate.generated_at = timezone.now()
        certificate.error = ""
        certificate.save(update_fields=["file", "status", "generated_at", "error"])
    return certificate


def mark_failed(certificate_id: int, message: str) -> None:
    HoursCertificate.objects.filter(pk=certificate_id).exclude(status__in=[C.READY, C.REVOKED]).update(
        status=HoursCertificate.Status.FAILED, error=message[:500]
    )


def render_pdf(certificate: HoursCertificate) -> bytes:
    """The paper as a school or employer expects it: title and number, the statement with the
    holder's name, masked ID number and volunteer number, the hours and the period, the record
    table, the issuing unit with its seal over its name and the date, the handler and a phone
    to call, and how to check it (QR and code)."""
    import segno
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from association.pdf import cjk_font, paragraph_text, plain_text

    font = cjk_font()
    volunteer = certificate.volunteer
    site = SiteSettings.load()
    issuer_name = certificate.issuer_name or site.name
    base = ParagraphStyle("body", fontName=font, fontSize=12, leading=22, wordWrap="CJK", firstLineIndent=24)
    title = ParagraphStyle("title", parent=base, fontSize=24, leading=34, alignment=TA_CENTER, firstLineIndent=0,
                           spaceAfter=6)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=13, firstLineIndent=0)
    cell = ParagraphStyle("cell", parent=small, fontSize=9.5, leading=13)

    records = list(
        volunteer.records.filter(status=ServiceRecord.Status.CONFIRMED, date__lte=certificate.last_date)
        .select_related("team").order_by("-date", "-id")[:TABLE_ROWS]
    )
    gender = volunteer.get_gender_display()
    story = [
        Paragraph("志愿服务记录证明", title),
        Paragraph(f"证明编号：{paragraph_text(certificate.number)}", ParagraphStyle("no", parent=small, alignment=TA_RIGHT)),
        Spacer(1, 6 * mm),
        Paragraph(
            # No spaces around numbers: Chinese text is set solid, and the line breaker
            # then never leaves a comma at the start of a line.
            f"兹证明<b>{paragraph_text(volunteer.name)}</b>（{gender}，身份证号{volunteer.masked_id_number or '未登记'}，"
            f"志愿者编号{paragraph_text(volunteer.number)}）系{paragraph_text(site.name)}科技志愿服务实名注册志愿者。"
            f"{_period(certificate)}，该志愿者参加志愿服务共{certificate.record_count}次，"
            f"经核实的志愿服务时长累计<b>{certificate.total_hours}小时</b>。",
            base,
        ),
        Paragraph("特此证明。", base),
        Spacer(1, 6 * mm),
    ]
    rows = [[Paragraph(h, cell) for h in ("服务日期", "服务内容", "服务队伍", "时长（小时）")]]
    for r in records:
        rows.append([
            Paragraph(chinese_date(r.date), cell),
            Paragraph(paragraph_text(r.title), cell),
            Paragraph(paragraph_text(r.team.name if r.team else "—"), cell),
            Paragraph(str(r.hours), cell),
        ])
    table = Table(rows, colWidths=[32 * mm, 78 * mm, 42 * mm, 22 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa7b8")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story.append(table)
    if certificate.record_count > len(records):
        story.append(Paragraph(f"（以上为最近{len(records)}条记录，共{certificate.record_count}条。）", small))
    story += [
        Spacer(1, 8 * mm),
        _signature(issuer_name, certificate.issued_on or timezone.localdate(), _seal_bytes(certificate), font),
        Spacer(1, 4 * mm),
        Paragraph(f"经办人：{paragraph_text(certificate.handler or '—')}　　"
                  f"联系电话：{paragraph_text(certificate.contact_phone or site.hotline or '—')}", small),
        Spacer(1, 4 * mm),
    ]
    url = verification_url(certificate)
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    verify_table = Table(
        [[Image(qr, width=26 * mm, height=26 * mm),
          Paragraph(f"核验方式：扫描左侧二维码，或访问 {paragraph_text(url)} ，"
                    f"也可在{paragraph_text(site.short_name)}门户网站“志愿服务—证明核验”页面输入核验码 {certificate.display_code} 查询。"
                    f"核验结果显示持证人姓名、部分隐去的身份证号、志愿者编号、服务时长与期间及出具单位。", small)]],
        colWidths=[30 * mm, 144 * mm],
    )
    verify_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(verify_table)

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                            bottomMargin=18 * mm, title="志愿服务记录证明", author=plain_text(issuer_name))
    doc.build(story)
    return out.getvalue()


def _seal_bytes(certificate: HoursCertificate) -> bytes | None:
    issuer = certificate.issuer
    if issuer is None or not issuer.seal:
        return None
    try:
        with issuer.seal.open("rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _signature(issuer_name: str, issued_on, seal: bytes | None, font: str):
    """The issuer's name and the date at the right, the seal stamped over them as on paper."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    from association.pdf import plain_text

    name, date = plain_text(issuer_name), chinese_date(issued_on)

    class Signature(Flowable):
        def wrap(self, available_width, available_height):
            self.width, self.height = available_width, 40 * mm
            return self.width, self.height

        def draw(self):
            c = self.canv
            size = 12
            name_width = stringWidth(name, font, size)
            right = self.width - 6 * mm
            if seal:
                # Stamped first, so the name and the date stay legible through it as through ink.
                diameter = 38 * mm
                centre_x = right - max(name_width, stringWidth(date, font, size)) / 2
                c.drawImage(ImageReader(io.BytesIO(seal)), centre_x - diameter / 2, 18 * mm - diameter / 2,
                            width=diameter, height=diameter, mask="auto", preserveAspectRatio=True)
            c.setFont(font, size)
            c.drawRightString(right, 22 * mm, name)
            c.drawRightString(right, 14 * mm, date)

    return Signature()


def _period(certificate: HoursCertificate) -> str:
    if certificate.first_date == certificate.last_date:
        return f"于{chinese_date(certificate.first_date)}"
    return f"自{chinese_date(certificate.first_date)}至{chinese_date(certificate.last_date)}"

