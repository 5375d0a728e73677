"""Pages: the check-in desk, the attendance record, roster exports and the ticket."""

from __future__ import annotations

import json

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from app.attendance import exports, records, services
from app.attendance.forms import CodeForm, WalkInForm
from app.auth.loading import login_or_token_required
from app.errors.domain import Conflict, DomainError
from app.extensions import db
from app.models import AuditEntry, Event, Registration
from app.timezones import now_utc

bp = Blueprint("attendance", __name__)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _back(event_id: int):
    """Back to the desk, keeping the chosen session and search."""
    return redirect(
        url_for(
            "attendance.desk",
            event_id=event_id,
            session=request.form.get("session_id") or None,
            q=request.form.get("q") or None,
        )
    )


def _run(action, success: str | None = None) -> bool:
    """Run a service; commit and flash on success, roll back and show the message on a domain error.

    The success message is `success`, or the text the action returns."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message if not error.fields else " ".join(error.fields.values()), "error")
        return False
    db.session.commit()
    message = result if isinstance(result, str) else success
    if message:
        flash(message, "success")
    return True


@bp.get("/events/<int:event_id>/check-in")
@login_required
def desk(event_id: int):
    """The desk: type or scan a code, tick the roster, add walk-ins, for one session at a time."""
    event = services.managed_event(current_user, event_id)
    chosen = _int(request.args.get("session"))
    if chosen is not None and chosen not in {s.id for s in event.sessions}:
        abort(404)
    session = services.session_of(event, chosen) if event.sessions else None
    query = request.args.get("q", "")[:100]
    everyone = services.roster(event)
    here = [w for w in services.walk_ins(event) if session and w.session_id == session.id]
    checked = [r for r in everyone if session and session.id in r.check_ins]
    return render_template(
        "attendance/desk.html",
        event=event,
        session=session,
        rows=services.roster(event, query) if query else everyone,
        walk_ins=here,
        q=query,
        checked_places=sum(r.registration.places for r in checked) + sum(w.places for w in here),
        confirmed_places=sum(r.registration.places for r in everyone),
        code_form=CodeForm(formdata=None, session_id=session.id if session else ""),
        walk_in_form=WalkInForm(formdata=None, session_id=session.id if session else ""),
    )


def _checked_in_message(check_in) -> str:
    names, _guardian = services.registration_names(check_in.registration)
    return ngettext(
        "Checked in: %(names)s (%(num)s place).",
        "Checked in: %(names)s (%(num)s places).",
        check_in.places,
        names=", ".join(names),
    )


@bp.post("/events/<int:event_id>/check-in")
@login_required
def check_in(event_id: int):
    event = services.managed_event(current_user, event_id)
    form = CodeForm()
    session_id = _int(form.session_id.data)
    _run(lambda: _checked_in_message(services.check_in_by_code(event, form.code.data, current_user, session_id)))
    return _back(event_id)


@bp.post("/events/<int:event_id>/check-in/tick")
@login_required
def tick(event_id: int):
    event = services.managed_event(current_user, event_id)
    session_id = _int(request.form.get("session_id"))
    ids = [i for i in (_int(v) for v in request.form.getlist("registration_id")) if i is not None]
    if not ids:
        flash(_("Tick at least one person."), "error")
        return _back(event_id)

    def tick_all():
        done = skipped = 0
        for registration_id in ids:
            registration = db.session.get(Registration, registration_id)
            if registration is None or registration.event_id != event.id:
                abort(404)
            try:
                services.check_in_registration(event, registration, current_user, session_id)
                done += 1
            except Conflict:  # checked in meanwhile at another desk: nothing was written for them
                skipped += 1
        message = ngettext("%(num)s sign-up checked in.", "%(num)s sign-ups checked in.", done)
        if skipped:
            message += " " + ngettext("%(num)s was already checked in.", "%(num)s were already checked in.", skipped)
        return message

    _run(tick_all)
    return _back(event_id)


@bp.post("/events/<int:event_id>/check-in/walk-in")
@login_required
def walk_in(event_id: int):
    event = services.managed_event(current_user, event_id)
    form = WalkInForm()
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return _back(event_id)
    _run(
        lambda: services.add_walk_in(
            event, current_user, form.name.data, form.district.data, form.places.data, _int(form.session_id.data)
        ),
        _("Walk-in added."),
    )
    return _back(event_id)


@bp.post("/events/<int:event_id>/check-ins/<int:check_in_id>/undo")
@login_required
def undo(event_id: int, check_in_id: int):
    event = services.managed_event(current_user, event_id)
    _run(lambda: services.undo_check_in(event, check_in_id, current_user), _("Check-in undone."))
    return _back(event_id)


@bp.get("/events/<int:event_id>/attendance")
def record(event_id: int):
    """Organisers: the live record with publishing and exports; anyone: the published record."""
    data = records.visible_record(current_user, event_id)
    event = db.session.get(Event, event_id)
    manages = services.can_manage(current_user, event)
    return render_template("attendance/record.html", event=event, record=data, manages=manages)


def _publish(event) -> None:
    records.publish_attendance(event, current_user)


@bp.post("/events/<int:event_id>/attendance/publish")
@login_required
def publish(event_id: int):
    event = services.managed_event(current_user, event_id)
    _run(lambda: _publish(event), _("Attendance record published."))
    return redirect(url_for("attendance.record", event_id=event_id))


def _audit_export(event, fmt: str, rows: int) -> None:
    """The export is a GET: end the read, then write the audit entry as the first statement of its own
    transaction, so SQLite takes its write lock cleanly."""
    values = {
        "actor_id": current_user.id,
        "action": "attendance.export",
        "object_type": "event",
        "object_id": event.id,
        "district": services.audit_district(event, current_user),
        "detail": json.dumps({"format": fmt, "rows": rows}),
        "created_at": now_utc(),
    }
    db.session.commit()
    db.session.execute(db.insert(AuditEntry).values(**values))
    db.session.commit()


@bp.get("/events/<int:event_id>/attendance.csv")
@login_or_token_required
def export_csv(event_id: int):
    event = services.managed_event(current_user, event_id)
    header, rows = exports.roster_table(event)
    response = exports.csv_download(header, rows, f"event-{event.id}-attendance.csv")
    _audit_export(event, "csv", len(rows))
    return response


@bp.get("/events/<int:event_id>/attendance.xlsx")
@login_or_token_required
def export_xlsx(event_id: int):
    event = services.managed_event(current_user, event_id)
    header, rows = exports.roster_table(event)
    response = exports.xlsx_download(header, rows, f"event-{event.id}-attendance.xlsx", _("Attendance"))
    _audit_export(event, "xlsx", len(rows))
    return response


@bp.get("/registrations/<int:registration_id>/ticket")
@login_required
def ticket(registration_id: int):
    """The sign-up's code in large type and as a QR code: for its owner and the event's organisers."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not (
        registration.user_id == current_user.id or services.can_manage(current_user, registration.event)
    ):
        abort(404)
    qr = segno.make(registration.check_in_code, error="m", micro=False)
    svg = Markup(qr.svg_inline(border=2, dark="#000", light="#fff", omitsize=True))
    names, guardian = services.registration_names(registration)
    return render_template(
        "attendance/ticket.html", registration=registration, event=registration.event, qr=svg, names=names
    )


from app.attendance import pages  # noqa: E402,F401  (statistics and my record on this blueprint)
