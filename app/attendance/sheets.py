"""Writing one table to an XLSX sheet as an office expects it: a title row, a bold frozen header
with an autofilter, typed cells (local times as Excel datetimes, numbers as numbers), column widths
from the content and a totals row."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.attendance.exports import safe_cell
from app.timezones import to_local

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
MAX_WIDTH = 60
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)


@dataclass
class Table:
    name: str  # the sheet's name
    title: str  # the first row
    header: list[str]
    rows: list[list]
    totals: list | None = None
    percent_columns: set[int] = field(default_factory=set)  # 0-based columns holding fractions of 1

    def __post_init__(self) -> None:
        """The totals row spans the header: blank under the columns that have no total."""
        if self.totals is None:
            return
        if len(self.totals) > len(self.header):
            raise ValueError(f"{self.name}: {len(self.totals)} totals for {len(self.header)} columns")
        self.totals = [*self.totals, *[None] * (len(self.header) - len(self.totals))]


def excel_value(value):
    """A cell value: aware datetimes become naive Asia/Shanghai times; text is made safe."""
    if isinstance(value, datetime):
        local = to_local(value) if value.tzinfo else value
        return local.replace(tzinfo=None, microsecond=0)  # Excel keeps milliseconds at most
    return safe_cell(value)


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cells(sheet: WriteOnlyWorksheet, values: list, table: Table, bold: bool = False) -> list[WriteOnlyCell]:
    """One row of typed cells: datetimes and rate columns formatted, optionally bold."""
    cells = []
    for column, value in enumerate(values):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif column in table.percent_columns and isinstance(value, (int, float)):
            cell.number_format = PERCENT_FORMAT
        if bold:
            cell.font = BOLD
        cells.append(cell)
    return cells


def write_table(sheet: WriteOnlyWorksheet, table: Table) -> None:
    """The table streamed row by row (a write-only sheet: widths, panes, merge and filter are set
    before the rows go out, so the cost stays linear in the rows)."""
    sheet.title = table.name[:31]
    columns = max(len(table.header), 1)
    rows = [[excel_value(v) for v in row] for row in table.rows]
    totals = [excel_value(v) for v in table.totals] if table.totals is not None else None
    for index in range(columns):
        values = [table.header[index], *(r[index] for r in table.rows if index < len(r))]
        if table.totals:
            values.append(table.totals[index])
        width = max(_width(v) for v in values) + 2
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8), MAX_WIDTH)
    sheet.freeze_panes = "A3"
    sheet.merged_cells.add(f"A1:{get_column_letter(columns)}1")
    sheet.auto_filter.ref = f"A2:{get_column_letter(columns)}{max(len(rows) + 2, 2)}"
    title = WriteOnlyCell(sheet, value=safe_cell(table.title))
    title.font = TITLE
    sheet.append([title])
    sheet.append(_cells(sheet, [safe_cell(v) for v in table.header], table, bold=True))
    for row in rows:
        sheet.append(_cells(sheet, row, table))
    if totals is not None:
        sheet.append(_cells(sheet, totals, table, bold=True))


def workbook_bytes(tables: list[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    for table in tables:
        write_table(workbook.create_sheet(), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
