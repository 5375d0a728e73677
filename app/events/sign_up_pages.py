"""Pages: the event page's sign-up form and its sending. A refused sign-up (a rule, a field, an
expired page) is shown again with everything typed, never redirected away and emptied."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.attendance.records import published_record
from app.errors.domain import DomainError
from app.events import places, services
from app.events import registrations as regs
from app.events.itinerary import day_label
from app.events.questions import questions_of
from app.events.routes import bp
from app.events.signup_forms import clear_errors, place_errors, shown_blocks, sign_up_data, sign_up_form
from app.extensions import csrf
from app.models import Event
from app.timezones import now_utc
from app.unit_of_work import savepoint


def event_page(event: Event, form=None, problems: list[str] | None = None, shown: int = 1, status: int = 200):
    confirmed, waiting = places.counts([event.id])[event.id]
    mine = []
    if current_user.is_authenticated:
        mine = [r for r in regs.own_registrations(current_user) if r.event_id == event.id and r.is_active]
    page = render_template(
        "events/show.html",
        event=event,
        places_left=max(0, event.capacity - confirmed),
        waiting=waiting,
        mine=mine,
        form=form or sign_up_form(questions_of(event)),
        problems=problems or [],
        shown=shown,
        record=published_record(event),
        status=event.display_status(),
        now=now_utc(),
        manages=event.managed_by(current_user),
        position=places.waitlist_position,
        day_label=day_label,
    )
    return page, status


@bp.get("/events/<int:event_id>/register")
def register_page(event_id: int):
    """The address a refused sign-up is shown at; opened again, it leads to the event's form."""
    return redirect(url_for("events.show", event_id=event_id, _anchor="sign-up"))


@bp.post("/events/<int:event_id>/register")
@csrf.exempt  # the form checks its token itself, so that an expired page keeps what was typed
@login_required
def register(event_id: int):
    event = services.visible_event(current_user, event_id)
    form = sign_up_form(questions_of(event))
    form.validate()
    if expired(form):
        return event_page(event, form, shown=shown_blocks(form), status=400)
    clear_errors(form)  # the service checks every field, once
    if "add_child" in request.form:
        return event_page(event, form, shown=shown_blocks(form, one_more=True))
    try:
        with savepoint():
            registration = regs.register(current_user, event.id, sign_up_data(form, event.kind == "youth_camp"))
    except DomainError as error:
        problems = place_errors(form, error)
        return event_page(event, form, problems, shown=shown_blocks(form), status=error.status)
    if registration.has_place:
        flash(_("You are signed up. Your check-in code is on your ticket."), "success")
    else:
        flash(
            _("The event is full: you are number %(n)s on the waiting list.", n=places.waitlist_position(registration)),
            "info",
        )
    return redirect(url_for("events.mine"))


def expired(form) -> bool:
    """The form's token did not match (a page left open too long): nothing is done, all is shown again."""
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)
