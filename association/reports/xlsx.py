"""The Excel workbook of a report: one sheet a section, its tables, a native chart for each
table that asks for one."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from association.reporting import Table
from association.spreadsheet import safe_cell, safe_value

from ..formatting import display_width, format_cell, is_number
from .runner import SectionResult
from .svg import PALETTE

BLUE = "0B4EA2"
THIN = Side(style="thin", color="B8C4D6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor=BLUE)
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=12, color=BLUE)
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
CHART_MAX_CATEGORIES = 50
ROW_HEIGHT_CM = 0.53  # a default row is 15 pt
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


@dataclass
class ReportMeta:
    title: str
    association: str
    scope: str
    generated: str
    requested_by: str = ""


def sheet_name(title: str, used: set[str]) -> str:
    base = FORBIDDEN_IN_SHEET_NAME.sub("", safe_value(title)).strip("'") or "部分"
    name, n = base[:31], 2
    while name.lower() in used:
        suffix = f"（{n}）"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _column_format(values) -> str | None:
    numbers = [v for v in values if v is not None]
    if not numbers or not all(is_number(v) for v in numbers):
        return None
    return INT_FORMAT if all(float(v).is_integer() for v in numbers) else DECIMAL_FORMAT


def _chart(table: Table, ws, header_row: int, first_row: int, last_row: int, series_cols: list[int], title: str):
    n = last_row - first_row + 1
    categories = Reference(ws, min_col=1, min_row=first_row, max_row=last_row)
    if table.chart == "pie":
        chart = PieChart()
        chart.add_data(Reference(ws, min_col=series_cols[0], min_row=header_row, max_row=last_row), titles_from_data=True)
        chart.dataLabels = DataLabelList(
            showPercent=True, showVal=False, showCatName=False, showSerName=False, showLegendKey=False
        )
    else:
        if table.chart == "line":
            chart = LineChart()
        else:
            chart = BarChart()
            # Many categories read better as horizontal bars, labels down the side.
            chart.type = "bar" if n > 12 else "col"
            chart.gapWidth = 60
            if chart.type == "bar":
                chart.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the table
                chart.x_axis.tickLblSkip = 1  # every category named
        for col in series_cols:
            chart.add_data(Reference(ws, min_col=col, min_row=header_row, max_row=last_row), titles_from_data=True)
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        if len(series_cols) == 1:
            chart.legend = None
    chart.set_categories(categories)
    chart.title = safe_value(title)
    chart.width = 18
    chart.height = 7.5 if table.chart != "bar" or n <= 12 else min(30, 0.7 * n + 3)
    return chart


def _charts(table: Table, ws, header_row: int, last_row: int, series_cols: list[int]) -> list:
    """The table's chart; a line chart of several series is one chart a series, stacked, each
    with its own axis, as on the dashboard: 活动场次 (up to 5) would lie flat along zero on
    an axis that reaches 受益人次 (in the thousands)."""
    # A chart of hundreds of categories says nothing: it shows the first ones.
    chart_last = min(last_row, header_row + CHART_MAX_CATEGORIES)
    title = table.title if chart_last == last_row else f"{table.title}（前 {CHART_MAX_CATEGORIES} 项）"
    if table.chart != "line" or len(series_cols) == 1:
        return [_chart(table, ws, header_row, header_row + 1, chart_last, series_cols, title)]
    charts = []
    for i, col in enumerate(series_cols):
        chart = _chart(table, ws, header_row, header_row + 1, chart_last, [col], f"{title}：{ws.cell(header_row, col).value}")
        chart.height = 6
        # Each panel in its own colour, the dashboard's, so that they read as different measures.
        chart.series[0].graphicalProperties.line.solidFill = PALETTE[i % len(PALETTE)].lstrip("#").upper()
        charts.append(chart)
    return charts


def _write_table(ws, table: Table, row: int, widths: dict[int, int]) -> int:
    safe_cell(ws, table.title, row=row, column=1).font = TITLE_FONT
    top = row
    row += 1
    if table.note:
        safe_cell(ws, table.note, row=row, column=1).font = Font(italic=True, color="666666")
        row += 1
    header_row = row
    for col, heading in enumerate(table.columns, 1):
        cell = safe_cell(ws, heading, row=row, column=col)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths[col] = max(widths.get(col, 0), display_width(heading) + 2)
    formats = {
        col: _column_format([r[col - 1] if col - 1 < len(r) else None for r in table.rows])
        for col in range(1, len(table.columns) + 1)
    }
    for values in table.rows:
        row += 1
        for col, value in enumerate(values[: len(table.columns)], 1):
            cell = safe_cell(ws, value, row=row, column=col)
            cell.border = BORDER
            if isinstance(value, datetime | date):
                cell.number_format = DATE_FORMAT
            elif formats[col] and value is not None:
                cell.number_format = formats[col]
            widths[col] = max(widths.get(col, 0), display_width(format_cell(value)) + 2)
    last_row = row
    if not table.rows:
        row += 1
        safe_cell(ws, "（无数据）", row=row, column=1).font = Font(color="888888")
    series_cols = [col for col in range(2, len(table.columns) + 1) if formats[col]]
    if table.chart and table.rows and series_cols:
        anchor = top
        for chart in _charts(table, ws, header_row, last_row, series_cols):
            ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{anchor}")
            anchor += int(chart.height / ROW_HEIGHT_CM) + 1
        row = max(row, anchor)
    return row + 2


def write_xlsx(meta: ReportMeta, results: list[SectionResult]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = safe_value(meta.title)
    wb.properties.creator = safe_value(meta.association)
    used: set[str] = set()
    for result in results:
        ws = wb.create_sheet(sheet_name(result.title, used))
        safe_cell(ws, f"{meta.association}　{meta.title}", row=1, column=1).font = Font(bold=True, size=14)
        safe_cell(ws, f"{result.title}　统计范围：{meta.scope}　生成时间：{meta.generated}", row=2, column=1).font = Font(
            color="666666")
        widths: dict[int, int] = {}
        row = 4
        if not result.tables:
            safe_cell(ws, "本部分暂无数据。", row=row, column=1)
        for table in result.tables:
            row = _write_table(ws, table, row, widths)
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = min(max(width, 8), 50)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # printed one page wide, as long as it needs
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
