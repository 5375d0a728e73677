"""An event's attendance workbook: the roster, the check-ins of each session, the figures by
district and by session; every sheet titled with the event, its dates and venue, and totalled."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.attendance.exports import roster_lines
from app.attendance.figures import EventFigures, figures_of
from app.attendance.labels import district_labels, figure_labels, status_labels
from app.attendance.records import registration_district
from app.attendance.services import RosterRow, registration_names, roster, walk_ins
from app.attendance.sheets import Table, workbook_bytes
from app.events.answers import answer_columns
from app.models import Event
from app.models.event import REGISTRATION_STATUSES
from app.timezones import to_local
from app.web import local_name

FIGURES = ("registered", "attended", "no_show", "walk_ins", "present", "attendance_rate")


def event_title(event: Event) -> str:
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    dates = (
        f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"
        if start.date() != end.date()
        else (f"{start:%Y-%m-%d %H:%M} – {end:%H:%M}")
    )
    venue = f"{local_name(event.room.home)} · {local_name(event.room)}" if event.room else (event.address or "")
    return " · ".join(part for part in (event.title, dates, venue) if part)


def _roster(event: Event, title: str, now: datetime | None, rows: list[RosterRow]) -> Table:
    labels = figure_labels()
    header = [_("Registration"), _("Name"), _("Guardian"), _("District"), _("Status"), _("Sessions attended")]
    header += [_("First check-in"), labels["registered"], labels["attended"], labels["no_show"], labels["walk_ins"]]
    keys = ("registered", "attended", "no_show", "walk_ins")
    counted = len(header) - len(keys)  # where the counts' columns begin
    rows = [
        [line.registration_id, line.name, line.guardian, line.district, line.status, len(line.sessions)]
        + [line.first_check_in, *(line.counts[k] for k in keys), *line.answers]
        for line in roster_lines(event, now, rows)
    ]
    header += [label for label, _cell in answer_columns(event)]
    totals = [_("Total"), *[None] * (counted - 1), *(sum(r[counted + n] for r in rows) for n in range(len(keys)))]
    return Table(_("Roster"), title, header, rows, totals)  # blank totals under the answers


def _check_ins(event: Event, title: str, roster_rows: list[RosterRow]) -> Table:
    """Check-ins of confirmed sign-ups (`roster_rows`: the roster of every status), then walk-ins."""
    numbers = {s.id: (n, s) for n, s in enumerate(event.sessions, start=1)}
    districts, kinds = district_labels(), status_labels()
    rows = []
    for row in (r for r in roster_rows if r.registration.status == "confirmed"):
        registration = row.registration
        district = districts.get(registration_district(registration), districts["other"])
        for check_in in row.check_ins.values():
            names, _guardian = registration_names(registration)
            rows.append(
                [
                    check_in.session_id,
                    ", ".join(names),
                    district,
                    kinds["confirmed"],
                    registration.places,
                    check_in.created_at,
                ]
            )
    for check_in in walk_ins(event):
        district = districts.get(check_in.walk_in_district, districts["other"])
        rows.append(
            [
                check_in.session_id,
                check_in.walk_in_name or "",
                district,
                kinds["walk_in"],
                check_in.places,
                check_in.created_at,
            ]
        )
    rows.sort(key=lambda r: (numbers[r[0]][0], r[5]))
    body = [[numbers[r[0]][0], numbers[r[0]][1].starts_at, *r[1:]] for r in rows]
    header = [_("Session"), _("Session starts"), _("Name"), _("District"), _("Kind"), _("Places"), _("Checked in at")]
    totals = [_("Total"), None, None, None, None, sum(r[5] for r in body), None]
    return Table(_("Check-ins by session"), title, header, body, totals)


def _figures_row(label: str, counts) -> list:
    return [label, *(getattr(counts, key) for key in FIGURES)]


def _by_district(figures: EventFigures, title: str) -> Table:
    labels, districts = figure_labels(), district_labels()
    rows = [_figures_row(districts[d], c) for d, c in figures.by_district.items()]
    header = [_("District"), *(labels[k] for k in FIGURES)]
    return Table(_("By district"), title, header, rows, _figures_row(_("Total"), figures), {6})


def _by_session(event: Event, figures: EventFigures, title: str) -> Table:
    labels = figure_labels()
    rows = [[s.number, s.start, s.registered, s.attended, s.walk_ins, s.present] for s in figures.by_session]
    header = [_("Session"), _("Session starts"), labels["registered"], labels["attended"], labels["walk_ins"]]
    totals = [_("Whole event"), None, figures.registered, figures.attended, figures.walk_ins, figures.present]
    return Table(_("By session"), title, [*header, labels["present"]], rows, totals)


def event_workbook(event: Event, now: datetime | None = None) -> bytes:
    title = event_title(event)
    figures = figures_of(event, now)
    # One read of the roster serves both sheets (the check-ins sheet keeps the confirmed sign-ups).
    rows = roster(event, statuses=REGISTRATION_STATUSES)
    return workbook_bytes(
        [
            _roster(event, title, now, rows),
            _check_ins(event, title, rows),
            _by_district(figures, title),
            _by_session(event, figures, title),
        ]
    )
