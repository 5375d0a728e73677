"""Pages: the event list and page, sign-up, my sign-ups, and organisers' editing and roster."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.routes import apply_errors
from app.errors.domain import DomainError
from app.events import places, queries, services
from app.events import registrations as regs
from app.events.answers import answered
from app.events.children import relation_label
from app.events.forms import VENUE_SUGGESTIONS, EventForm, event_data, fill_event_form, theme_choices
from app.extensions import db
from app.models import Event, Home, Room
from app.models.event import KINDS, THEMES
from app.models.user import DISTRICTS
from app.timezones import local_day_bounds, now_utc, parse_date
from app.unit_of_work import attempt, savepoint

bp = Blueprint("events", __name__)


def _from(value: str | None) -> datetime:
    """Events not yet over, and not over before the local day ?from= names."""
    now = now_utc()
    try:
        return max(now, local_day_bounds(parse_date(value or ""))[0])
    except ValueError:
        return now


@bp.get("/events")
def index():
    args = request.args
    found = queries.public_events(
        limit=200,
        kind=args.get("kind") if args.get("kind") in KINDS else None,
        district=args.get("district") if args.get("district") in DISTRICTS else None,
        theme=args.get("theme") if args.get("theme") in THEMES else None,
        start=_from(args.get("from")),
    )
    return render_template(
        "events/index.html",
        events=found,
        counts=places.counts([e.id for e in found]),
        args=args,
        themes=theme_choices()[1:],
    )


@bp.get("/events/<int:event_id>")
def show(event_id: int):
    return sign_up_pages.event_page(services.visible_event(current_user, event_id))


@bp.get("/me/registrations")
@login_required
def mine():
    return render_template(
        "events/mine.html",
        registrations=regs.own_registrations(current_user),
        position=places.waitlist_position,
        now=now_utc(),
    )


@bp.post("/registrations/<int:registration_id>/cancel")
@login_required
def cancel_registration(registration_id: int):
    registration = regs.visible_registration(current_user, registration_id)
    if attempt(lambda: regs.cancel_registration(registration, current_user)):
        flash(_("The sign-up is cancelled."), "info")
    if registration.user_id == current_user.id:
        return redirect(url_for("events.mine"))
    return redirect(url_for("events.roster", event_id=registration.event_id))


@bp.post("/registrations/<int:registration_id>/promote")
@login_required
def promote(registration_id: int):
    registration = regs.visible_registration(current_user, registration_id)
    attempt(lambda: regs.promote_by_hand(current_user, registration_id), _("Moved up from the waiting list."))
    return redirect(url_for("events.roster", event_id=registration.event_id))


@bp.get("/events/<int:event_id>/roster")
@login_required
def roster(event_id: int):
    event = services.visible_event(current_user, event_id)
    if not event.managed_by(current_user):
        abort(403)
    return render_template(
        "events/roster.html",
        event=event,
        rows=regs.roster(current_user, event.id),
        position=places.waitlist_position,
        answered=answered,
        relation=relation_label,
    )


def _room_choices() -> list[tuple[int, str]]:
    rooms = db.session.scalars(db.select(Room).join(Home).where(Room.active.is_(True)).order_by(Home.id, Room.id))
    return [(0, _("No room: an address"))] + [(r.id, f"{r.name} · {r.home.name} ({r.capacity})") for r in rooms]


def _edit(event: Event | None):
    if not current_user.is_staff:
        abort(403)
    form = EventForm()
    form.room_id.choices = _room_choices()
    if request.method == "GET" and event is not None:
        fill_event_form(form, event)
    if form.validate_on_submit():
        try:
            with savepoint():  # a refused change is undone; the form is shown again
                event = _save(form, event)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(_("Event saved."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, suggestions=VENUE_SUGGESTIONS)


def _save(form: EventForm, event: Event | None) -> Event:
    data = event_data(form)
    if event is None:
        return services.create_event(current_user, data)
    return services.update_event(current_user, event.id, data)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new():
    return _edit(None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    return _edit(services.managed_event(current_user, event_id))


@bp.post("/events/<int:event_id>/publish")
@login_required
def publish(event_id: int):
    return _act(event_id, lambda: services.publish_event(current_user, event_id), _("Event published."))


@bp.post("/events/<int:event_id>/cancel")
@login_required
def cancel(event_id: int):
    reason = (request.form.get("reason") or "")[:500]
    return _act(event_id, lambda: services.cancel_event(current_user, event_id, reason), _("Event cancelled."))


def _act(event_id: int, action, success: str):
    attempt(action, success)
    return redirect(url_for("events.show", event_id=event_id))


# The sign-up and questions pages are views of this blueprint too.
from app.events import question_pages, sign_up_pages  # noqa: E402, F401
