"""The attendance record and its publishing, roster exports, and the sign-up's ticket."""

from __future__ import annotations

import segno
from flask import Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import audit
from app.attendance import exports, records, services, workbook
from app.attendance.routes.blueprint import bp
from app.auth.loading import login_or_token_required
from app.extensions import db
from app.models import Event, Registration
from app.unit_of_work import attempt, writes


@bp.get("/events/<int:event_id>/attendance")
def record(event_id: int):
    """Organisers: the live record with publishing and exports; anyone: the published record."""
    data = records.visible_record(current_user, event_id)
    event = db.session.get(Event, event_id)
    return render_template("attendance/record.html", event=event, record=data, manages=event.managed_by(current_user))


@bp.post("/events/<int:event_id>/attendance/publish")
@login_required
def publish(event_id: int):
    event = services.managed_event(current_user, event_id)
    attempt(lambda: records.publish_attendance(event, current_user), _("Attendance record published."))
    return redirect(url_for("attendance.record", event_id=event_id))


def _export(event_id: int, fmt: str) -> Response:
    """The roster as a file for the event's organisers; each export leaves an audit entry."""
    event = services.managed_event(current_user, event_id)
    lines = exports.roster_lines(event)
    district = services.audit_district(event, current_user)
    audit.record(current_user, "attendance.export", event, district=district, format=fmt, rows=len(lines))
    filename = f"event-{event.id}-attendance.{fmt}"
    if fmt == "csv":
        return exports.csv_download(*exports.roster_table(event), filename)
    return exports.download(workbook.event_workbook(event), filename, exports.XLSX_TYPE)


@bp.get("/events/<int:event_id>/attendance.csv")
@writes  # outermost: the caller is loaded in the transaction that holds the write lock
@login_or_token_required
def export_csv(event_id: int):
    return _export(event_id, "csv")


@bp.get("/events/<int:event_id>/attendance.xlsx")
@writes  # outermost: the caller is loaded in the transaction that holds the write lock
@login_or_token_required
def export_xlsx(event_id: int):
    return _export(event_id, "xlsx")


@bp.get("/registrations/<int:registration_id>/ticket")
@login_required
def ticket(registration_id: int):
    """The sign-up's code in large type and as a QR code: for those it is visible to."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not registration.visible_to(current_user):
        abort(404)
    qr = segno.make(registration.check_in_code, error="m", micro=False)
    svg = Markup(qr.svg_inline(border=2, dark="#000", light="#fff", omitsize=True))
    names, _guardian = services.registration_names(registration)
    return render_template(
        "attendance/ticket.html", registration=registration, event=registration.event, qr=svg, names=names
    )
