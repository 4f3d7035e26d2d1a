"""A unit's statistics return as the official forms lay it out: an Excel workbook with one
sheet a table (named by the table's code, AK表1-1 … KKX表11) and a printable PDF with every
table and the sign-off block (单位负责人, 统计负责人, 填表人, 联系电话, 报出日期, 盖章).

The figures are ``services.roll_up`` of the year (本年) and of the year before (上年, when
the catalogue has that year); a note under each table names the filing units below whose
returns were not accepted and so are not counted. ``write_xlsx`` and ``write_pdf`` are what
the return's pages and ``manage.py statistics_return`` link downloads to.
"""

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from association.formatting import chinese_date, display_width
from association.models import Organization
from association.reports.xlsx import sheet_name
from association.spreadsheet import safe_cell, safe_value
from association.states import DomainError

from . import services
from .models import ReturnItem, ReturnTable, ReturnValue, StatisticsReturn

COLUMNS = ["项目", "代码", "计量单位", "本年", "上年", "说明"]
SIGN_OFF = [("head", "单位负责人"), ("statistician", "统计负责人"), ("filled_by", "填表人"), ("phone", "联系电话")]


@dataclass
class Line:
    item: ReturnItem
    this_year: Decimal
    last_year: Decimal | None
    note: str = ""

    @property
    def indented(self) -> bool:
        return self.item.part_of_id is not None


@dataclass
class TableLines:
    table: ReturnTable
    lines: list[Line]


@dataclass
class ReturnSheets:
    organization: Organization
    year: int
    statistics_return: StatisticsReturn | None
    tables: list[TableLines]
    missing: list[str]
    filing_below: int = 0

    def title(self, table: ReturnTable) -> str:
        return f"{self.organization.name}　{self.year}年度　{table.code} {table.name}"

    @property
    def missing_note(self) -> str:
        if not self.filing_below:
            return _("本单位无下级填报单位，本表为本单位及所属未单独填报组织的数字。")
        if not self.missing:
            return _("下级填报单位的年报均已审核通过，已计入本表。")
        return _("以下填报单位的年报尚未审核通过，未计入本表：%(units)s") % {"units": "、".join(self.missing)}

    def sign_off(self) -> list[tuple[str, str]]:
        r = self.statistics_return
        rows = [(label, getattr(r, field, "") if r else "") for field, label in SIGN_OFF]
        rows.append(("报出日期", chinese_date(r.reported_on) if r and r.reported_on else ""))
        return rows


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


def collect(organization_id: int, year: int) -> ReturnSheets:
    """The lines of every table the unit files for the year, with this year's and last year's
    totals. ``DomainError`` (in Chinese) for a unit or year there is no return of."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise DomainError(_("没有编号为 %(id)s 的单位。") % {"id": organization_id})
    if not services.files_a_return(organization):
        raise DomainError(_("%(unit)s不单独填报综合统计年报，其工作计入上级填报单位。") % {"unit": organization.name})
    tables = list(services.tables_for(organization, year))
    if not tables:
        raise DomainError(_("没有 %(year)s 年度的统计报表目录。") % {"year": year})
    current = services.roll_up(organization.pk, year)
    previous = services.roll_up(organization.pk, year - 1) if ReturnTable.objects.filter(year=year - 1).exists() else None
    last_by_key = {}
    if previous is not None:
        for item in services.items_for(organization, year - 1):
            last_by_key[(item.table.code, item.code)] = previous.totals.get(item.pk, Decimal(0))
    statistics_return = StatisticsReturn.objects.filter(organization=organization, year=year).first()
    notes = {}
    if statistics_return is not None:
        notes = dict(ReturnValue.objects.filter(statistics_return=statistics_return).exclude(note="")
                     .values_list("item_id", "note"))
    by_table: dict[int, list[Line]] = {t.pk: [] for t in tables}
    for item in services.items_for(organization, year).order_by("table__order", "order"):
        by_table[item.table_id].append(Line(
            item=item,
            this_year=current.totals.get(item.pk, Decimal(0)),
            last_year=last_by_key.get((item.table.code, item.code)) if previous is not None else None,
            note=notes.get(item.pk, ""),
        ))
    return ReturnSheets(
        organization=organization, year=year, statistics_return=statistics_return,
        tables=[TableLines(t, by_table[t.pk]) for t in tables],
        missing=[unit.name for unit in current.missing],
        filing_below=len(services.reach(organization.pk).filing_below),
    )


# -- Excel ------------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


def _number_cell(ws, value, row: int, column: int):
    cell = safe_cell(ws, _number(value), row=row, column=column)
    cell.border = BORDER
    if value is not None:
        cell.number_format = INT_FORMAT if isinstance(cell.value, int) else DECIMAL_FORMAT
    return cell


def write_xlsx(organization_id: int, year: int, *, sheets: ReturnSheets | None = None) -> bytes:
    """The workbook; ``sheets`` (from ``collect``) when the caller writes the PDF too."""
    sheets = sheets or collect(organization_id, year)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = safe_value(f"{sheets.organization.name}{year}年度科协综合统计年报")
    wb.properties.creator = safe_value(sheets.organization.name)
    used: set[str] = set()
    for table_lines in sheets.tables:
        table = table_lines.table
        ws = wb.create_sheet(sheet_name(table.code, used))
        last_col = len(COLUMNS)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
        title = safe_cell(ws, sheets.title(table), row=1, column=1)
        title.font = Font(bold=True, size=14)
        title.alignment = Alignment(horizontal="center")
        header_row = 3
        safe_cell(ws, f"填报单位：{sheets.organization.name}", row=2, column=1)
        safe_cell(ws, f"表号：{table.code}", row=2, column=last_col - 1)
        widths = {col: display_width(h) + 4 for col, h in enumerate(COLUMNS, 1)}
        for col, heading in enumerate(COLUMNS, 1):
            cell = safe_cell(ws, heading, row=header_row, column=col)
            cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center")
        row = header_row
        for line in table_lines.lines:
            row += 1
            name = safe_cell(ws, line.item.name, row=row, column=1)
            name.alignment = Alignment(indent=2 if line.indented else 0)
            name.border = BORDER
            for col, text in ((2, line.item.code), (3, line.item.unit)):
                cell = safe_cell(ws, text, row=row, column=col)
                cell.border, cell.alignment = BORDER, Alignment(horizontal="center")
            _number_cell(ws, line.this_year, row, 4)
            _number_cell(ws, line.last_year, row, 5)
            note = safe_cell(ws, line.note, row=row, column=6)
            note.border = BORDER
            widths[1] = max(widths[1], display_width(line.item.name) + (4 if line.indented else 2))
            widths[6] = max(widths[6], display_width(line.note) + 2)
        row += 2
        safe_cell(ws, sheets.missing_note, row=row, column=1).font = Font(italic=True, color="666666")
        row += 2
        safe_cell(ws, "　".join(f"{label}：{value}" for label, value in sheets.sign_off()), row=row, column=1)
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = min(max(width, 8), 50)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- PDF --------------------------------------------------------------------------------------

def write_pdf(organization_id: int, year: int, *, sheets: ReturnSheets | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from association.pdf import cjk_font, paragraph_text, plain_text

    sheets = sheets or collect(organization_id, year)
    font = cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    styles = {
        "doc": ParagraphStyle("doc", parent=base, fontSize=18, leading=28, alignment=TA_CENTER, spaceAfter=6),
        "meta": ParagraphStyle("meta", parent=base, fontSize=11, leading=18, alignment=TA_CENTER, spaceAfter=12),
        "title": ParagraphStyle("title", parent=base, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "header": ParagraphStyle("header", parent=base, fontSize=9, leading=12, alignment=TA_CENTER),
        "part": ParagraphStyle("part", parent=base, fontSize=9, leading=12, leftIndent=14),
        "number": ParagraphStyle("number", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT),
        "note": ParagraphStyle("note", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#555555")),
        "sign": ParagraphStyle("sign", parent=base, fontSize=11, leading=20),
    }
    page_width, _height = A4
    margin = 2 * cm
    frame = page_width - 2 * margin
    widths = [frame * w for w in (0.40, 0.08, 0.10, 0.12, 0.12, 0.18)]
    doc_title = f"{sheets.organization.name}{year}年度科协综合统计年报"

    def number_text(value):
        value = _number(value)
        if value is None:
            return ""
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(page_width / 2, 1.1 * cm, f"第 {doc.page} 页")
        canvas.restoreState()

    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=plain_text(doc_title), author=plain_text(sheets.organization.name),
                            creator="科协门户")
    story = [
        Paragraph(paragraph_text(doc_title), styles["doc"]),
        Paragraph(f"填报单位：{paragraph_text(sheets.organization.name)}　　统计年度：{year}年", styles["meta"]),
    ]
    for table_lines in sheets.tables:
        table = table_lines.table
        header = [Paragraph(h, styles["header"]) for h in COLUMNS]
        body = []
        for line in table_lines.lines:
            body.append([
                Paragraph(paragraph_text(line.item.name), styles["part" if line.indented else "cell"]),
                line.item.code, paragraph_text(line.item.unit),
                number_text(line.this_year), number_text(line.last_year),
                Paragraph(paragraph_text(line.note), styles["cell"]),
            ])
        grid = PdfTable([header, *body], colWidths=widths, repeatRows=1)
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde5f0")),
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 1), (2, -1), "CENTER"),
            ("ALIGN", (3, 1), (4, -1), "RIGHT"),
        ]))
        story.append(KeepTogether([
            Paragraph(paragraph_text(f"{table.code}　{table.name}"), styles["title"]),
            grid,
        ]))
        story.append(Spacer(1, 0.3 * cm))
    story.append(Paragraph(paragraph_text(sheets.missing_note), styles["note"]))
    story.append(Spacer(1, 0.8 * cm))
    sign_rows = [[Paragraph(f"{label}：{paragraph_text(value)}" if label else "", styles["sign"]) for label, value in pair]
                 for pair in _pairs(sheets.sign_off())]
    seal = PdfTable(
        [[Paragraph("填报单位（盖章）", styles["sign"])], [""], [""]], colWidths=[frame * 0.4], rowHeights=[22, 40, 40],
        hAlign="RIGHT",
    )
    seal.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    sign = PdfTable(sign_rows, colWidths=[frame * 0.5, frame * 0.5])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    story.append(KeepTogether([sign, Spacer(1, 0.5 * cm), seal]))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _pairs(rows: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    out = [rows[i:i + 2] for i in range(0, len(rows), 2)]
    if out and len(out[-1]) == 1:
        out[-1].append(("", ""))
    return out
