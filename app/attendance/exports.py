"""Spreadsheets: the roster as typed lines, CSV files, and the downloads (the XLSX workbooks are in
app.attendance.workbook)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask import Response
from flask_babel import gettext as _

from app.attendance.figures import walk_in_key, walk_in_people
from app.attendance.labels import district_labels, status_labels
from app.attendance.records import registration_district
from app.attendance.services import RosterRow, roster, walk_ins
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


@dataclass
class RosterLine:
    """One person of the roster, typed: times are aware datetimes, places numbers."""

    registration_id: int | None
    name: str
    guardian: str
    district: str  # a label, never a code
    places: int
    status: str  # a label
    sessions: list[datetime]  # starts of the sessions checked in at
    first_check_in: datetime | None
    counts: dict[str, int]  # this line's places in the figures: registered, attended, no_show, walk_ins
    answers: list[str]  # one per registration question (answer_columns), in order


def _split(places: int, names: list[str]) -> list[int]:
    """A family's places shared over its children, one each (all on the first when they do not match)."""
    if len(names) == places:
        return [1] * places
    return [places] + [0] * (len(names) - 1)


def _sign_up_lines(event: Event, ended: bool, rows: list[RosterRow] | None = None) -> list[RosterLine]:
    starts = {s.id: s.starts_at for s in event.sessions}
    statuses, districts = status_labels(), district_labels()
    questions = answer_columns(event)
    lines = []
    for row in roster(event, statuses=REGISTRATION_STATUSES) if rows is None else rows:
        registration = row.registration
        counted = registration.status == "confirmed"
        came = counted and bool(row.check_ins)
        first = min((c.created_at for c in row.check_ins.values()), default=None)
        district = registration_district(registration)
        for name, places in zip(row.names, _split(registration.places, row.names), strict=True):
            counts = {
                "registered": places if counted else 0,
                "attended": places if came else 0,
                "no_show": places if counted and not came and ended else 0,
                "walk_ins": 0,
            }
            lines.append(
                RosterLine(
                    registration.id,
                    name,
                    row.guardian or "",
                    districts.get(district, districts["other"]),
                    places,
                    statuses.get(registration.status, ""),
                    sorted(starts[sid] for sid in row.check_ins),
                    first,
                    counts,
                    [cell(registration) for _label, cell in questions],
                )
            )
    return lines


def roster_lines(event: Event, now: datetime | None = None, rows: list[RosterRow] | None = None) -> list[RosterLine]:
    """Sign-ups (children one a line, with their guardian), then walk-ins as the figures count them;
    `rows`: the event's roster of every status, when the caller has it already."""
    ended = event.ends_at <= (now or now_utc())
    lines = _sign_up_lines(event, ended, rows)
    blank = [""] * len(answer_columns(event))
    districts, walk_in = district_labels(), status_labels()["walk_in"]
    starts_by_person: dict[tuple, list[datetime]] = {}
    for check_in in walk_ins(event):
        key = walk_in_key(check_in.walk_in_name, check_in.walk_in_district)
        starts_by_person.setdefault(key, []).append(check_in.session_id)
    starts = {s.id: s.starts_at for s in event.sessions}
    for name, district, places, _sessions, first in walk_in_people(event):
        session_ids = starts_by_person.get(walk_in_key(name, district), [])
        counts = {"registered": 0, "attended": 0, "no_show": 0, "walk_ins": places}
        lines.append(
            RosterLine(
                None,
                name or "",
                "",
                districts.get(district, districts["other"]),
                places,
                walk_in,
                sorted({starts[i] for i in session_ids}),
                first,
                counts,
                blank,
            )
        )
    return lines


def roster_table(event: Event, now: datetime | None = None) -> tuple[list[str], list[list]]:
    """The roster for a CSV file: one row a person, walk-ins last, times as local text."""
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
    header += [label for label, _cell in answer_columns(event)]
    fmt = "%Y-%m-%d %H:%M"
    rows = [
        [
            line.registration_id or "",
            line.name,
            line.guardian,
            line.district,
            line.places,
            line.status,
            "; ".join(to_local(s).strftime(fmt) for s in line.sessions),
            _("yes") if line.counts["no_show"] else "",
            *line.answers,
        ]
        for line in roster_lines(event, now)
    ]
    return header, rows


def csv_bytes(header: list, rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_download(header: list, rows: list[list], filename: str) -> Response:
    return download(csv_bytes(header, rows), filename, "text/csv; charset=utf-8")
