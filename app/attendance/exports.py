"""Spreadsheets: the roster with attendance (CSV and XLSX), and CSV for the other tables."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook

from app.attendance.records import registration_district
from app.attendance.services import roster, walk_ins
from app.events.answers import answer_columns
from app.models import Event
from app.models.event import REGISTRATION_STATUSES
from app.text import plain_lines
from app.timezones import now_utc, to_local

# A cell starting with one of these would run as a formula in Excel.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    # A spreadsheet cannot hold control characters other than line breaks.
    return plain_lines(value) if isinstance(value, str) else value


def status_labels() -> dict[str, str]:
    return {
        "confirmed": _("Confirmed"),
        "waitlisted": _("Waiting list"),
        "cancelled": _("Cancelled"),
        "walk_in": _("Walk-in"),
    }


def district_labels() -> dict[str, str]:
    return {"liwan": _("Liwan"), "nanhai": _("Nanhai"), "other": _("Other")}


def roster_table(event: Event, now: datetime | None = None) -> tuple[list[str], list[list]]:
    """Header and rows: one row a person (children one each, with their guardian), walk-ins last."""
    ended = event.ends_at <= (now or now_utc())
    session_label = {s.id: to_local(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in event.sessions}
    order = {s.id: n for n, s in enumerate(event.sessions)}
    statuses, districts = status_labels(), district_labels()
    header = [
        _("Registration"),
        _("Name"),
        _("Guardian"),
        _("District"),
        _("Places"),
        _("Status"),
        _("Checked in (sessions)"),
        _("No-show"),
    ]
    questions = answer_columns(event)
    header += [label for label, _cell in questions]
    rows = []
    for row in roster(event, statuses=REGISTRATION_STATUSES):
        registration = row.registration
        sessions = "; ".join(session_label[sid] for sid in sorted(row.check_ins, key=order.get))
        absent = registration.has_place and not row.check_ins and (ended or registration.no_show)
        district = registration_district(registration)
        places = 1 if registration.for_children else registration.places
        for name in row.names:
            rows.append(
                [
                    registration.id,
                    name,
                    row.guardian or "",
                    districts.get(district, district or ""),
                    places,
                    statuses.get(registration.status, registration.status),
                    sessions,
                    _("yes") if absent else "",
                    *(cell(registration) for _label, cell in questions),
                ]
            )
    for check_in in walk_ins(event):
        rows.append(
            [
                "",
                check_in.walk_in_name or "",
                "",
                districts.get(check_in.walk_in_district, check_in.walk_in_district or ""),
                check_in.places,
                statuses["walk_in"],
                session_label.get(check_in.session_id, ""),
                "",
                *([""] * len(questions)),
            ]
        )
    return header, rows


def csv_bytes(header: list, rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: list, rows: list[list], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([safe_cell(v) for v in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_download(header: list, rows: list[list], filename: str) -> Response:
    return download(csv_bytes(header, rows), filename, "text/csv; charset=utf-8")


def xlsx_download(header: list, rows: list[list], filename: str, title: str) -> Response:
    return download(xlsx_bytes(header, rows, title), filename, XLSX_TYPE)
