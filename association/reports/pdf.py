"""The printable PDF of a report: a title page, then each section with its tables and charts,
Chinese set with CJK line breaking, and "第 N 页 共 M 页" at the foot of every page."""

from io import BytesIO

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from association.pdf import cjk_font, paragraph_text, plain_text
from association.reporting import Table

from ..formatting import chinese_numeral, display_width, format_cell, is_number, nice_axis
from .runner import SectionResult
from .xlsx import ReportMeta

BLUE = colors.HexColor("#0b4ea2")
RED = colors.HexColor("#c8161d")
GRID = colors.HexColor("#b8c4d6")
STRIPE = colors.HexColor("#f3f6fa")
PALETTE = [colors.HexColor(c) for c in ("#0b4ea2", "#c8161d", "#2f9e44", "#f08c00", "#7048e8", "#1098ad", "#e64980", "#5c940d")]
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHART_MAX_CATEGORIES = 24
# A printable report lists at most this many rows a table; the workbook has them all.
PDF_MAX_ROWS = 300


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "body": base,
        "association": ParagraphStyle("association", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, textColor=BLUE),
        "title": ParagraphStyle("title", parent=base, fontSize=30, leading=42, alignment=TA_CENTER, spaceBefore=24, spaceAfter=30),
        "meta": ParagraphStyle("meta", parent=base, fontSize=13, leading=24, alignment=TA_CENTER),
        "contents": ParagraphStyle("contents", parent=base, fontSize=12, leading=22, leftIndent=4 * cm),
        "section": ParagraphStyle("section", parent=base, fontSize=16, leading=24, textColor=BLUE, spaceBefore=6, spaceAfter=10),
        "table_title": ParagraphStyle("table_title", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        "note": ParagraphStyle("note", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#666666"), spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "number": ParagraphStyle("number", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT),
        "header": ParagraphStyle("header", parent=base, fontSize=9, leading=12, textColor=colors.white, alignment=TA_CENTER),
    }


def _numbered_canvas(font: str, meta: ReportMeta):
    class NumberedCanvas(canvas.Canvas):
        """Draws the page furniture once the page count is known (two-pass numbering)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802  (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int):
            page = self._pageNumber
            self.setFont(font, 9)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawCentredString(PAGE_WIDTH / 2, 1.1 * cm, f"第 {page} 页 共 {total} 页")
            if page > 1:
                self.drawString(MARGIN, PAGE_HEIGHT - 1.3 * cm, plain_text(meta.association))
                self.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 1.3 * cm, plain_text(meta.title))
                self.setStrokeColor(RED)
                self.setLineWidth(0.8)
                self.line(MARGIN, PAGE_HEIGHT - 1.5 * cm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 1.5 * cm)

    return NumberedCanvas


def _column_widths(table: Table) -> list[float]:
    """Natural widths (a short heading on one line, a long one on two; the longest cell),
    then scaled to the frame, no column narrower than two characters."""
    unit, padding = 4.7, 12  # points per Latin-width character at 9 pt; cell padding
    needs = []
    for i, heading in enumerate(table.columns):
        w = display_width(heading)
        header_need = w if w <= 8 else -(-w // 2)
        content_need = max([display_width(format_cell(r[i])) for r in table.rows[:200] if i < len(r)], default=0)
        needs.append(min(max(header_need, content_need, 4), 48) * unit + padding)
    total = sum(needs)
    if total > FRAME_WIDTH:
        floor = 4 * unit + padding
        spare = FRAME_WIDTH - floor * len(needs)
        extra = sum(n - floor for n in needs) or 1
        return [floor + (n - floor) * spare / extra for n in needs]
    return [n * FRAME_WIDTH / total for n in needs]


def _decimals(values) -> int:
    """Decimals a numeric column shows: as many as its most precise value needs, at most 2."""
    needed = 0
    for v in values:
        if is_number(v):
            text = f"{float(v):.2f}".rstrip("0")
            needed = max(needed, len(text.partition(".")[2]))
    return needed


def _short(label: str, limit: int = 16) -> str:
    """Long category names shortened in the middle, where their differences often are not."""
    if len(label) <= limit:
        return label
    head = limit // 2
    return label[:head] + "…" + label[-(limit - head - 1):]


def _table(table: Table, styles) -> PdfTable:
    """Text cells are Paragraphs (CJK wrapping); numbers are plain right-aligned strings,
    which keeps a long table fast to set."""
    header = [Paragraph(paragraph_text(c), styles["header"]) for c in table.columns]
    rows = table.rows[:PDF_MAX_ROWS]
    n = len(table.columns)
    decimals = [_decimals([r[i] for r in rows if i < len(r)]) for i in range(n)]
    numeric = [all(is_number(r[i]) or r[i] is None for r in rows if i < len(r)) for i in range(n)]
    body = []
    for row in rows:
        cells = []
        for i in range(n):
            value = row[i] if i < len(row) else None
            if is_number(value):
                text = f"{float(value):,.{decimals[i]}f}"
                cells.append(text if numeric[i] else Paragraph(text, styles["number"]))
            else:
                cells.append(Paragraph(paragraph_text(format_cell(value)), styles["cell"]))
        body.append(cells)
    if not body:
        body = [[Paragraph("（无数据）", styles["cell"])] + [""] * (n - 1)]
    flowable = PdfTable([header, *body], colWidths=_column_widths(table), repeatRows=1)
    cell = styles["cell"]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), BLUE),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("FONTNAME", (0, 1), (-1, -1), cell.fontName),
        ("FONTSIZE", (0, 1), (-1, -1), cell.fontSize),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in range(n) if numeric[i]]
    commands += [("BACKGROUND", (0, r), (-1, r), STRIPE) for r in range(2, len(body) + 1, 2)]
    flowable.setStyle(TableStyle(commands))
    return flowable


def _series(table: Table) -> tuple[list[str], list[tuple[str, list[float]]]]:
    rows = table.rows[:CHART_MAX_CATEGORIES]
    categories = [plain_text(format_cell(r[0])) for r in rows]
    series = []
    for i, name in enumerate(table.columns[1:], 1):
        values = [r[i] if i < len(r) else None for r in table.rows]
        if any(v is not None for v in values) and all(v is None or is_number(v) for v in values):
            series.append((plain_text(name), [float(r[i] or 0) for r in rows]))
    # A series that is zero throughout only adds an empty legend entry; the table has it.
    return categories, [s for s in series if any(s[1])] or series[:1]


def _chart(table: Table, font: str) -> Drawing | None:
    categories, series = _series(table)
    if not categories or not series:
        return None
    top = max(v for _name, values in series for v in values)
    if top <= 0:
        return None  # nothing to draw: the table above it says every figure is zero
    width, height = FRAME_WIDTH, 7 * cm
    drawing = Drawing(width, height)
    if table.chart == "pie":
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 1 * cm, 0.5 * cm, height - 1 * cm, height - 1 * cm
        values = series[0][1]
        pie.data = [v if v > 0 else 0 for v in values]
        pie.labels = None
        for i in range(len(values)):
            pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
            pie.slices[i].strokeColor = colors.white
        drawing.add(pie)
        total = sum(values) or 1
        _legend(drawing, font, [(f"{c}  {format_cell(v)}（{v * 100 / total:.1f}%）", PALETTE[i % len(PALETTE)])
                                for i, (c, v) in enumerate(zip(categories, values, strict=True))],
                x=height + 0.5 * cm, y=height - 0.4 * cm)
        return drawing
    if table.chart == "line" and len(series) > 1:
        return _line_panels(categories, series, font)
    horizontal = table.chart == "bar" and len(categories) > 12
    if horizontal:
        height = max(7 * cm, len(categories) * 0.55 * cm + 1.5 * cm)
        drawing = Drawing(width, height)
        chart = HorizontalBarChart()
    elif table.chart == "line":
        chart = HorizontalLineChart()
    else:
        chart = VerticalBarChart()
    label_room = 5 * cm if horizontal else 1.2 * cm
    legend_room = 0.8 * cm if len(series) > 1 else 0
    chart.x, chart.y = (label_room, 0.6 * cm) if horizontal else (1.6 * cm, 1.4 * cm)
    chart.width = width - chart.x - 0.5 * cm
    chart.height = height - chart.y - 0.4 * cm - legend_room
    chart.data = [values for _name, values in series]
    _axes(chart, categories, top, font)
    if horizontal:
        chart.categoryAxis.reverseDirection = 1
        chart.categoryAxis.labels.boxAnchor = "e"
    for i in range(len(series)):
        if table.chart == "line":
            chart.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
            chart.lines[i].strokeWidth = 1.5
        else:
            chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
            chart.bars[i].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        _legend(drawing, font, [(name, PALETTE[i % len(PALETTE)]) for i, (name, _v) in enumerate(series)],
                x=chart.x, y=height - 0.2 * cm, columns=len(series))
    return drawing


def _axes(chart, categories: list[str], top: float, font: str):
    chart.categoryAxis.categoryNames = [_short(c) for c in categories]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    # The dashboard's axis: round steps that hug the data, whole ones for counts (no 0.2 event).
    chart.valueAxis.valueMax, chart.valueAxis.valueStep, _ticks = nice_axis(top)
    chart.valueAxis.labelTextFormat = lambda v: format_cell(round(v, 2))
    if len(categories) > 8 and not isinstance(chart, HorizontalBarChart):
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"


def _line_panels(categories: list[str], series, font: str) -> Drawing:
    """As on the dashboard (svg.line_chart): a panel a series, one under another, each with its
    own axis and named above it; the months are labelled under the last one only."""
    head, plot_h, bottom = 0.9 * cm, 3.2 * cm, 1.4 * cm
    width, height = FRAME_WIDTH, bottom + len(series) * (plot_h + head)
    drawing = Drawing(width, height)
    for s, (name, values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        chart = HorizontalLineChart()
        chart.x, chart.y = 1.6 * cm, bottom + (len(series) - 1 - s) * (plot_h + head)
        chart.width, chart.height = width - chart.x - 0.5 * cm, plot_h
        chart.data = [values]
        _axes(chart, categories, max(values), font)
        chart.categoryAxis.visibleLabels = s == len(series) - 1
        chart.lines[0].strokeColor = color
        chart.lines[0].strokeWidth = 1.5
        drawing.add(chart)
        _legend(drawing, font, [(name, color)], x=chart.x, y=chart.y + plot_h + 0.5 * cm)
    return drawing


def _legend(drawing: Drawing, font: str, items, *, x: float, y: float, columns: int = 1):
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = max(1, -(-len(items) // columns)) if columns > 1 else 14
    legend.deltax = 90
    legend.colorNamePairs = [(color, name) for name, color in items[:28]]
    drawing.add(legend)


def write_pdf(meta: ReportMeta, results: list[SectionResult]) -> bytes:
    font = cjk_font()
    styles = _styles(font)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2.2 * cm, bottomMargin=2 * cm,
        title=plain_text(meta.title), author=plain_text(meta.association), subject=plain_text(meta.scope), creator="科协门户",
    )
    story = [
        Spacer(1, 4.5 * cm),
        Paragraph(paragraph_text(meta.association), styles["association"]),
        Paragraph(paragraph_text(meta.title), styles["title"]),
        Paragraph(f"统计范围：{paragraph_text(meta.scope)}", styles["meta"]),
        Paragraph(f"生成时间：{paragraph_text(meta.generated)}", styles["meta"]),
    ]
    if meta.requested_by:
        story.append(Paragraph(f"申请人：{paragraph_text(meta.requested_by)}", styles["meta"]))
    story += [Spacer(1, 2 * cm), Paragraph("目　录", styles["meta"]), Spacer(1, 0.3 * cm)]
    story += [
        Paragraph(f"{chinese_numeral(i)}、{paragraph_text(result.title)}", styles["contents"])
        for i, result in enumerate(results, 1)
    ]
    story.append(PageBreak())
    for i, result in enumerate(results, 1):
        heading = Paragraph(f"{chinese_numeral(i)}、{paragraph_text(result.title)}", styles["section"])
        if not result.tables:
            story += [heading, Paragraph("本部分暂无数据。", styles["body"])]
        for n, table in enumerate(result.tables):
            block = [heading] if n == 0 else []
            block.append(Paragraph(paragraph_text(table.title), styles["table_title"]))
            if table.note:
                block.append(Paragraph(paragraph_text(table.note), styles["note"]))
            block.append(_table(table, styles))
            if len(table.rows) > PDF_MAX_ROWS:
                block.append(
                    Paragraph(f"表中列出前 {PDF_MAX_ROWS} 项（共 {len(table.rows):,} 项），完整数据见 Excel 文件。", styles["note"])
                )
            chart = _chart(table, font) if table.chart else None
            if chart is not None:
                block += [Spacer(1, 0.3 * cm), chart]
                if len(table.rows) > CHART_MAX_CATEGORIES:
                    block.append(Paragraph(f"图中显示前 {CHART_MAX_CATEGORIES} 项，完整数据见上表。", styles["note"]))
            # A short table stays with its heading and chart; a long one splits, header repeated.
            story += [KeepTogether(block)] if len(table.rows) <= 30 else block
            story.append(Spacer(1, 0.4 * cm))
    doc.build(story, canvasmaker=_numbered_canvas(font, meta))
    return buffer.getvalue()
