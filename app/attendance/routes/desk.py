"""The check-in desk: codes typed or scanned, ticks on the roster, walk-ins and undo, one session at a time."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.attendance import services
from app.attendance.figures import figures_of
from app.attendance.forms import CodeForm, WalkInForm
from app.attendance.routes.blueprint import bp
from app.errors.domain import Conflict, DomainError
from app.extensions import db
from app.models import Registration
from app.refusals import keeps_typed, place_errors, refused_status
from app.unit_of_work import attempt, savepoint


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


@bp.get("/events/<int:event_id>/check-in")
@login_required
def desk(event_id: int):
    """The desk: type or scan a code, tick the roster, add walk-ins, for one session at a time."""
    event = services.managed_event(current_user, event_id)
    return _desk(event, _int(request.args.get("session")), request.args.get("q", "")[:100])


def _desk(event, chosen: int | None, query: str, walk_in_form=None, problems: list[str] | None = None):
    if chosen is not None and chosen not in {s.id for s in event.sessions}:
        abort(404)
    session = services.session_of(event, chosen) if event.sessions else None
    everyone = services.roster(event)
    here = [w for w in services.walk_ins(event) if session and w.session_id == session.id]
    figures = figures_of(event)
    at_session = next((s for s in figures.by_session if session and s.session_id == session.id), None)
    return render_template(
        "attendance/desk.html",
        event=event,
        session=session,
        rows=services.roster(event, query) if query else everyone,
        walk_ins=here,
        q=query,
        figures=figures,
        at_session=at_session,
        code_form=CodeForm(formdata=None, session_id=session.id if session else ""),
        walk_in_form=walk_in_form or WalkInForm(formdata=None, session_id=session.id if session else ""),
        problems=problems or [],
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
    attempt(lambda: _checked_in_message(services.check_in_by_code(event, form.code.data, current_user, session_id)))
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

    attempt(tick_all)
    return _back(event_id)


@bp.post("/events/<int:event_id>/check-in/walk-in")
@login_required
@keeps_typed
def walk_in(event_id: int):
    """A refused walk-in (a field, a rule, an expired page) is shown again at the desk with what was typed."""
    event = services.managed_event(current_user, event_id)
    form = WalkInForm()
    session_id = _int(form.session_id.data)
    problems: list[str] = []
    if form.validate():
        try:
            with savepoint():
                services.add_walk_in(
                    event, current_user, form.name.data, form.district.data, form.places.data, session_id
                )
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            flash(_("Walk-in added."), "success")
            return _back(event_id)
    page = _desk(event, session_id, request.form.get("q", "")[:100], form, problems)
    return page, refused_status(form)


@bp.post("/events/<int:event_id>/check-ins/<int:check_in_id>/undo")
@login_required
def undo(event_id: int, check_in_id: int):
    event = services.managed_event(current_user, event_id)
    attempt(lambda: services.undo_check_in(event, check_in_id, current_user), _("Check-in undone."))
    return _back(event_id)
