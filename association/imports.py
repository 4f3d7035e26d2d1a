"""Excel imports, one way for every app: every row read and checked first, then all of them
written in one transaction or none; what is wrong is told by row and column, in Chinese.

An app describes its sheet and how to read a row::

    class RosterImport(ExcelImport):
        columns = [Column("姓名", required=True), Column("性别", required=True), ...]

        def parse_row(self, values, row):      # values: {header: cleaned text}
            if not values["姓名"]:
                row.error("姓名", "姓名不能为空。")
            return {...}                        # what save() needs, or None

        def check_all(self, parsed):            # checks across rows and against the database
            ...

        def save(self, parsed) -> int:          # inside the transaction; how many were made
            ...

    result = RosterImport(actor=request.user, request=request).run(upload)
    if result.ok: ... else: result.errors  # [ImportError(row, column, message), ...]

Text is cleaned of control characters where it comes in (``association.textinput``); a
file that cannot be read, a missing column, too many rows or an empty sheet are told the
same way, as the error of row 0 or 1.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .textinput import clean_text

UNREADABLE = "文件无法读取：请上传由本系统模板填写的 Excel（.xlsx）文件。"


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False


@dataclass(frozen=True, order=True)
class ImportError:  # noqa: A001 - the name reads as what it is, within this module
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[ImportError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Row:
    """One row being read: its number on the sheet and the errors found in it."""

    def __init__(self, number: int, result: ImportResult):
        self.number = number
        self._result = result
        self.failed = False

    def error(self, column: str, message) -> None:
        self.failed = True
        self._result.errors.append(ImportError(self.number, column, str(message)))


def cell_text(value) -> str:
    """A cell as text: numbers typed into text columns lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


class ExcelImport:
    columns: list[Column] = []
    max_rows = 50000
    # Told when the database refuses a row that passed every check (someone registered the
    # same person meanwhile): nothing is written.
    conflict_message = "导入时发现数据已被他人同时登记，未导入任何数据，请重新导入。"
    # The headers of ``columns`` the sheet has, once ``run`` has read them: an import that
    # updates rows may leave alone what the sheet does not carry.
    columns_present: frozenset[str] = frozenset()

    def __init__(self, *, actor=None, request=None):
        self.actor = actor
        self.request = request

    # -- what an app writes -------------------------------------------------------------
    def parse_row(self, values: dict[str, str], row: Row):
        raise NotImplementedError

    def check_all(self, parsed: list[tuple[Row, object]]) -> None:
        """Checks across the rows and against the database; report with ``row.error``.

        ``parsed`` holds the rows read without error; it is called even when other rows
        had errors, so that staff read every problem of the file at once."""

    def save(self, parsed: list) -> int:
        raise NotImplementedError

    # -- the one way it runs ------------------------------------------------------------
    def run(self, upload) -> ImportResult:
        from openpyxl import load_workbook

        result = ImportResult()
        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = [cell_text(h) for h in next(rows, ())]
        except Exception:  # noqa: BLE001 - any unreadable upload gets the same answer
            result.errors.append(ImportError(0, "", _(UNREADABLE)))
            return result
        missing = [c.header for c in self.columns if c.required and c.header not in header]
        if missing:
            result.errors.append(ImportError(1, "", _("表头缺少以下列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)}))
            return result
        position = {c.header: header.index(c.header) for c in self.columns if c.header in header}
        self.columns_present = frozenset(position)

        parsed: list[tuple[Row, object]] = []
        for number, raw in enumerate(rows, start=2):
            values = {h: cell_text(raw[i]) if i < len(raw) else "" for h, i in position.items()}
            for column in self.columns:
                values.setdefault(column.header, "")
            if not any(values.values()):
                continue
            if len(parsed) >= self.max_rows:
                result.errors.append(ImportError(number, "", _("一次最多导入 %(n)s 行，请分批导入。") % {"n": self.max_rows}))
                break
            row = Row(number, result)
            data = self.parse_row(values, row)
            if not row.failed and data is not None:
                parsed.append((row, data))
        if not parsed and not result.errors:
            result.errors.append(ImportError(0, "", _("文件中没有可导入的数据行。")))
        if parsed:
            self.check_all(parsed)
        if result.errors:
            result.errors.sort()
            return result
        try:
            with transaction.atomic():
                result.created = self.save([data for _row, data in parsed])
        except IntegrityError:
            result.created = 0
            result.errors.append(ImportError(0, "", _(self.conflict_message)))
        return result
