"""The notices of the report jobs (``association.notices``): a report ready (or failed, with
the reason), to whoever asked for it, and the monthly 工作简报 to the leaders, its PDF
attached to the e-mail."""

import logging

from .. import extensions

logger = logging.getLogger(__name__)



def links(job) -> dict:
    """The links of a finished job, for the context (staff's wording needs no template tags)."""
    from django.conf import settings
    from django.urls import reverse

    site = settings.SITE_URL.rstrip("/")
    return {"xlsx_link": site + reverse("reports:download", args=[job.pk, "xlsx"]),
            "pdf_link": site + reverse("reports:download", args=[job.pk, "pdf"]),
            "dashboard_link": site + reverse("reports:dashboard")}


def summary_attachments(delivery) -> list[tuple[str, bytes, str]]:
    """The 工作简报's PDF, read when the e-mail leaves (key ``report:<id>:summary``)."""
    from ..models import ReportJob

    job_id = delivery.key.split(":")[1]
    job = ReportJob.objects.select_related("county", "unit").filter(pk=job_id).first()
    if job is None or not job.pdf:
        logger.warning("monthly summary %s: no PDF to attach", job_id)
        return []
    with job.pdf.open("rb") as f:
        return [(f"{job.title}.pdf", f.read(), "application/pdf")]


READY = extensions.notice_kind(
    "reports.ready", label="报表已生成",
    subject="【报表已生成】{{ job.title }}",
    body="您好：\n\n您申请的报表《{{ job.title }}》（{{ job.scope_text }}）已生成，可以下载：\n"
         "Excel：{{ xlsx_link }}\nPDF：{{ pdf_link }}\n也可在工作数据看板中查看：{{ dashboard_link }}\n\n"
         "此邮件由系统自动发送，请勿回复。",
)
FAILED = extensions.notice_kind(
    "reports.failed", label="报表生成失败",
    subject="【报表生成失败】{{ job.title }}",
    body="您好：\n\n您申请的报表《{{ job.title }}》（{{ job.scope_text }}）未能生成。\n原因：{{ job.error }}\n\n"
         "可在工作数据看板中重新申请：{{ dashboard_link }}\n\n此邮件由系统自动发送，请勿回复。",
)
MONTHLY_SUMMARY = extensions.notice_kind(
    "reports.monthly_summary", label="每月工作简报（领导）",
    subject="【{{ short_name }}】{{ job.title }}",
    body="{{ summary }}",
    attachments=summary_attachments,
)
