"""Writing one table to an XLSX sheet as an office expects it: a title row, a bold frozen header
with an autofilter, typed cells (local times as Excel datetimes, numbers as numbers), column widths
from the content and a totals row."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.attendance.exports import safe_cell
from app.timezones import to_local

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
MAX_WIDTH = 60


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


def _format_row(sheet: Worksheet, row: int, table: Table) -> None:
    for column, cell in enumerate(sheet[row]):
        if isinstance(cell.value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif column in table.percent_columns and isinstance(cell.value, (int, float)):
            cell.number_format = PERCENT_FORMAT


def write_table(sheet: Worksheet, table: Table) -> None:
    sheet.title = table.name[:31]
    columns = max(len(table.header), 1)
    sheet.append([safe_cell(table.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.append([safe_cell(v) for v in table.header])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([excel_value(v) for v in row])
        _format_row(sheet, sheet.max_row, table)
    last = sheet.max_row
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(columns)}{max(last, 2)}"
    if table.totals is not None:
        sheet.append([excel_value(v) for v in table.totals])
        _format_row(sheet, sheet.max_row, table)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index in range(columns):
        values = [table.header[index], *(r[index] for r in table.rows if index < len(r))]
        if table.totals:
            values.append(table.totals[index])
        width = max(_width(v) for v in values) + 2
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8), MAX_WIDTH)


def workbook_bytes(tables: list[Table]) -> bytes:
    workbook = Workbook()
    for number, table in enumerate(tables):
        write_table(workbook.active if number == 0 else workbook.create_sheet(), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
