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

from association import audit, queue
from association.formatting import chinese_date
from association.models import AuditEntry, SiteSettings
from association.states import DomainError

from ..models import HoursCertificate, ServiceRecord, Volunteer

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
        certificate = HoursCertificate.objects.create(
            volunteer=volunteer, code=new_code(), total_hours=totals["hours"], record_count=totals["n"],
            first_date=totals["first"], last_date=totals["last"],
        )
        audit.record(AuditEntry.Action.CREATE, obj=certificate, request=request, detail="申请志愿服务记录证明")
        queue.enqueue("volunteers.tasks.build_hours_certificate", certificate.pk)
    return certificate


def verify(code: str) -> HoursCertificate | None:
    code = normalise_code(code)
    if len(code) != 12:
        return None
    return (
        HoursCertificate.objects.select_related("volunteer")
        .filter(code=code, status=HoursCertificate.Status.READY)
        .first()
    )


def verification_url(certificate: HoursCertificate) -> str:
    return settings.SITE_URL + reverse("volunteers:certificate_verify_code", args=[certificate.display_code])


def build(certificate_id: int) -> HoursCertificate:
    """Build and store the PDF; safe to run twice (a ready certificate is left alone)."""
    certificate = HoursCertificate.objects.select_related("volunteer").get(pk=certificate_id)
    if certificate.status == HoursCertificate.Status.READY and certificate.file:
        return certificate
    pdf = render_pdf(certificate)
    with transaction.atomic():
        certificate = HoursCertificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.status == HoursCertificate.Status.READY and certificate.file:
            return certificate
        certificate.file.save(f"hours-{certificate.code}.pdf", ContentFile(pdf), save=False)
        certificate.status = HoursCertificate.Status.READY
        certificate.generated_at = timezone.now()
        certificate.error = ""
        certificate.save(update_fields=["file", "status", "generated_at", "error"])
    return certificate


def mark_failed(certificate_id: int, message: str) -> None:
    HoursCertificate.objects.filter(pk=certificate_id).exclude(status=HoursCertificate.Status.READY).update(
        status=HoursCertificate.Status.FAILED, error=message[:500]
    )


def render_pdf(certificate: HoursCertificate) -> bytes:
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
    base = ParagraphStyle("body", fontName=font, fontSize=12, leading=22, wordWrap="CJK", firstLineIndent=24)
    title = ParagraphStyle("title", parent=base, fontSize=24, leading=34, alignment=TA_CENTER, firstLineIndent=0,
                           spaceAfter=6)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=13, firstLineIndent=0)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT, firstLineIndent=0)
    cell = ParagraphStyle("cell", parent=small, fontSize=9.5, leading=13)

    records = list(
        volunteer.records.filter(status=ServiceRecord.Status.CONFIRMED, date__lte=certificate.last_date)
        .select_related("team").order_by("-date", "-id")[:TABLE_ROWS]
    )
    gender = volunteer.get_gender_display()
    story = [
        Paragraph("志愿服务记录证明", title),
        Paragraph(f"证明编号：{certificate.display_code}", ParagraphStyle("no", parent=small, alignment=TA_CENTER)),
        Spacer(1, 8 * mm),
        Paragraph(
            # No spaces around numbers: Chinese text is set solid, and the line breaker
            # then never leaves a comma at the start of a line.
            f"兹证明<b>{paragraph_text(volunteer.name)}</b>（{gender}，身份证号{volunteer.masked_id_number or '未登记'}）"
            f"系{paragraph_text(site.name)}科技志愿服务实名注册志愿者。{_period(certificate)}，"
            f"该志愿者参加志愿服务共{certificate.record_count}次，经核实的服务时长累计<b>{certificate.total_hours}小时</b>。",
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
        Spacer(1, 12 * mm),
        Paragraph(paragraph_text(site.name), right),
        Paragraph(chinese_date(timezone.localdate()), right),
        Spacer(1, 10 * mm),
    ]
    url = verification_url(certificate)
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    verify_table = Table(
        [[Image(qr, width=26 * mm, height=26 * mm),
          Paragraph(f"核验方式：扫描左侧二维码，或访问 {paragraph_text(url)} ，"
                    f"也可在{paragraph_text(site.short_name)}门户网站“志愿服务—证明核验”页面输入证明编号 {certificate.display_code} 查询。", small)]],
        colWidths=[30 * mm, 144 * mm],
    )
    verify_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(verify_table)

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                            bottomMargin=18 * mm, title="志愿服务记录证明", author=plain_text(site.name))
    doc.build(story)
    return out.getvalue()


def _period(certificate: HoursCertificate) -> str:
    if certificate.first_date == certificate.last_date:
        return f"于{chinese_date(certificate.first_date)}"
    return f"自{chinese_date(certificate.first_date)}至{chinese_date(certificate.last_date)}"

