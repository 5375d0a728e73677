"""Registry files as administrators have them: CSV in UTF-8 (with or without BOM), GBK/GB18030 or
UTF-16, or an XLSX workbook; and the template to fill in."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from datetime import date

from flask_babel import gettext as _

HEADER_ZH = ("发证单位", "编号", "持有人", "有效期至")
HEADER_EN = ("issuer", "number", "holder_name", "valid_until")
EXAMPLE_ROWS = (
    ("荔湾英才卡", "LW2026001", "陈晓荔", "2027-12-31"),
    ("nanhai_kunpeng", "NH2026001", "梁海鹏", "2027/6/30"),
)


class UnreadableFile(ValueError):
    """The file is neither a CSV in a known encoding nor an XLSX workbook."""


def decode_text(data: bytes) -> str:
    """The text of a CSV file: a BOM decides; otherwise strict UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is not text in UTF-8, GBK/GB18030 or UTF-16, nor an XLSX workbook."))


def read_rows(data: bytes) -> list[list[str]]:
    """Every row of the file as a list of cell texts (the header first)."""
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    try:
        text = decode_text(data)
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("The file is not text in UTF-8, GBK/GB18030 or UTF-16, nor an XLSX workbook.")
        ) from error
    return [row for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)]


def header_columns(header: list[str], *headers: tuple[str, ...]) -> list[int] | None:
    """Where each column of the first of `headers` (one per language) that the file's header holds
    stands in it, in that header's order; None when it holds none of them. Cells are compared
    without case, spaces or a byte-order mark."""
    names = [cell.strip().lstrip("\ufeff").casefold() for cell in header]
    for expected in headers:
        if all(name in names for name in expected):
            return [names.index(name) for name in expected]
    return None


def rows_or_exit(path) -> list[list[str]]:
    """A command's file as rows (`read_rows`); one that cannot be read ends the command with status 1."""
    import sys

    import click

    try:
        return read_rows(path.read_bytes())
    except UnreadableFile as error:
        click.echo(f"{path}: {error}", err=True)
        sys.exit(1)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(_("The XLSX workbook cannot be read.")) from error
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        cells = [_cell_text(v) for v in values]
        if any(c.strip() for c in cells):
            rows.append(cells)
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):  # a date cell (datetime is a date too)
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def template_csv() -> bytes:
    """The CSV template with the Chinese header and two example rows, in UTF-8 with BOM (Excel opens it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER_ZH)
    writer.writerows(EXAMPLE_ROWS)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "registry"
    sheet.append(HEADER_ZH)
    for row in EXAMPLE_ROWS:
        sheet.append(row)
    for column in "ABCD":
        sheet.column_dimensions[column].width = 20
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
