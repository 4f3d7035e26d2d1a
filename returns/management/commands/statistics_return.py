"""Write a unit's 综合统计年报 (the official layout) to an Excel file and, optionally, a PDF.

    manage.py statistics_return --year 2025 --organization 12 --xlsx 华龙区2025.xlsx --pdf 华龙区2025.pdf
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from association.states import DomainError
from returns import output


class Command(BaseCommand):
    help = "导出一个填报单位某年度的科协综合统计年报（Excel，可另加 PDF）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="统计年度")
        parser.add_argument("--organization", type=int, required=True, help="填报单位编号")
        parser.add_argument("--xlsx", required=True, help="Excel 文件路径")
        parser.add_argument("--pdf", help="PDF 文件路径（可选）")

    def handle(self, *args, year, organization, xlsx, pdf=None, **options):
        try:
            sheets = output.collect(organization, year)  # once for both files
            workbook = output.write_xlsx(organization, year, sheets=sheets)
            document = output.write_pdf(organization, year, sheets=sheets) if pdf else None
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        try:
            Path(xlsx).write_bytes(workbook)
            if document is not None:
                Path(pdf).write_bytes(document)
        except OSError as exc:
            raise CommandError(f"无法写入文件：{exc}") from exc
        written = [xlsx] + ([pdf] if pdf else [])
        self.stdout.write(self.style.SUCCESS("已导出：" + "，".join(written)))
