"""Pages: the event list and page, sign-up, my sign-ups, and organisers' editing and roster."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.attendance.records import published_record
from app.calendars import links
from app.errors.domain import DomainError
from app.events import places, queries, services
from app.events import registrations as regs
from app.events.answers import answered
from app.events.children import relation_label
from app.events.forms import VENUE_SUGGESTIONS, EventForm, event_data, fill_event_form, theme_choices
from app.events.validation import KIND_FIELDS
from app.extensions import db
from app.models import Event, Home, Room
from app.models.event import KINDS, THEMES
from app.models.user import DISTRICTS
from app.refusals import keeps_typed, place_errors, refused_status
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


def _list_filters() -> dict:
    """The list's filters from the URL (unknown values are dropped), so a search can be shared."""
    args = request.args
    return {
        "q": (args.get("q") or "").strip()[: queries.MAX_QUERY],
        "kind": args.get("kind") if args.get("kind") in KINDS else "",
        "district": args.get("district") if args.get("district") in DISTRICTS else "",
        "theme": args.get("theme") if args.get("theme") in THEMES else "",
    }


def _page_number() -> int:
    number = request.args.get("page", "1")
    return int(number) if number.isdigit() and len(number) < 6 else 1


def _listing(archive: bool):
    filters = _list_filters()
    chosen = {name: value or None for name, value in filters.items()}
    if archive:
        query = queries.public_events_query(statuses=("published", "completed"), ended_before=now_utc(), **chosen)
    else:
        query = queries.public_events_query(start=_from(request.args.get("from")), **chosen)
    page = queries.paginate(query, _page_number())
    from_day = "" if archive else request.args.get("from", "")[:10]
    return render_template(
        "events/index.html",
        page=page,
        events=page.items,
        counts=places.counts([e.id for e in page.items]),
        records={e.id: published_record(e) for e in page.items} if archive else {},
        filters=filters,
        archive=archive,
        from_day=from_day,
        kept={name: value for name, value in {**filters, "from": from_day}.items() if value},
        themes=theme_choices()[1:],
    )


@bp.get("/events")
def index():
    return _listing(archive=False)


@bp.get("/events/past")
def archive():
    """Past events, most recent first, with their published attendance records."""
    return _listing(archive=True)


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
        personal_webcal=links.webcal(links.personal_feed(current_user)),
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
    """The event form. A change to a published event is first shown with what it implies (who is
    told, sign-up closing, itinerary times); "save anyway" (confirmed) saves it."""
    if not current_user.is_staff:
        abort(403)
    form = EventForm()
    form.room_id.choices = _room_choices()
    if request.method == "GET" and event is not None:
        fill_event_form(form, event)
    warnings: list[str] = []
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with savepoint():  # a refused change is undone; the form is shown again
                data = event_data(form)
                if event is not None and not request.form.get("confirmed"):
                    warnings = services.change_warnings(current_user, event.id, data)
                if not warnings:
                    event = _save(data, event)
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            if not warnings:
                flash(_("Event saved."), "success")
                return redirect(url_for("events.show", event_id=event.id))
    return render_template(
        "events/form.html",
        form=form,
        event=event,
        suggestions=VENUE_SUGGESTIONS,
        warnings=warnings,
        problems=problems,
        kind_fields=KIND_FIELDS,
    ), (200 if warnings and not problems else refused_status(form))


def _save(data: dict, event: Event | None) -> Event:
    if event is None:
        return services.create_event(current_user, data)
    return services.update_event(current_user, event.id, data)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
@keeps_typed
def new():
    return _edit(None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_typed
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
