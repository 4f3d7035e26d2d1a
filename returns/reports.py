"""The statistics return as a report job: built by the report workers with progress, like
the annual report, in the official layout (``returns.output``). A unit's staff get their
unit's return, the city's staff the city's."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from association import scoping
from association.reporting import ReportParams
from association.reports.kinds import ReportKind, register_kind

from . import output


def _title(params: ReportParams) -> str:
    return gettext("%(year)s年科协综合统计年报") % {"year": params.year}


def _files(params: ReportParams, progress) -> tuple[bytes, bytes]:
    organization_id = params.unit_id or scoping.city_unit_id()
    progress(0, gettext("正在汇总本单位及下级单位的年报"))
    sheets = output.collect(organization_id, params.year)  # once for both files
    xlsx = output.write_xlsx(organization_id, params.year, sheets=sheets)
    progress(1, gettext("正在生成 PDF 文件"))
    pdf = output.write_pdf(organization_id, params.year, sheets=sheets)
    progress(2, gettext("正在保存文件"))
    return xlsx, pdf


STATISTICS_RETURN = register_kind(ReportKind("statistics_return", _("科协综合统计年报"), _title, files=_files))
