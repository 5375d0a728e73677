"""Pages: find a room, book it, my bookings, check in (button or the room's QR code).

Organisers' pages (home schedule, approvals, suspensions) are in app.bookings.staff, on this blueprint.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import segno
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.routes import apply_errors
from app.bookings import actions, availability, services
from app.bookings.forms import BookingForm, FindForm, ReasonForm
from app.errors.domain import DomainError
from app.homes.forms import equipment_labels
from app.homes.services import get_room, list_homes, list_rooms
from app.timezones import local_datetime, local_today, now_utc, parse_date, parse_hhmm
from app.unit_of_work import attempt, keep_work, savepoint
from app.urls import public_url, safe_next

bp = Blueprint("bookings", __name__)


def at(day: date, hhmm: str) -> datetime:
    """A local wall-clock time on a day as an aware UTC instant."""
    return local_datetime(day, parse_hhmm(hhmm))


@bp.get("/bookings/find")
def find():
    """Rooms free for the chosen time, and a day grid per home (rooms × half-hours)."""
    form = FindForm(request.args)
    form.validate()
    day = form.date.data if form.date.data and not form.date.errors else local_today()
    district = form.home.data or None
    rooms = list_rooms(district, form.min_capacity.data if not form.min_capacity.errors else None, form.equipment.data)
    free = None
    if form.start.data and form.end.data and not form.end.errors:
        free = availability.available_rooms(
            at(day, form.start.data), at(day, form.end.data), district, form.min_capacity.data, form.equipment.data
        )
    grids = []
    for home in list_homes():
        home_rooms = [r for r in rooms if r.home_id == home.id]
        if home_rooms:
            columns, cells = availability.day_grid(home_rooms, day)
            grids.append((home, home_rooms, columns, cells))
    return render_template(
        "bookings/find.html",
        form=form,
        day=day,
        free=free,
        grids=grids,
        prev_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        equipment_labels=equipment_labels(),
    )


@bp.route("/rooms/<int:room_id>/book", methods=["GET", "POST"])
@login_required
def new(room_id: int):
    room = get_room(room_id)
    form = BookingForm()
    if request.method == "GET":
        form.date.data = _date_arg(request.args.get("date")) or local_today()
        form.start.data = request.args.get("start") or "10:00"
        form.end.data = request.args.get("end") or _plus_hour(form.start.data)
    elif form.validate_on_submit():
        if services.settle_no_shows(current_user):
            keep_work()  # the overdue bookings stay no-shows even if this booking is refused
        req = services.BookingRequest(
            room_id=room.id,
            start=at(form.date.data, form.start.data),
            end=at(form.date.data, form.end.data),
            title=form.title.data,
            purpose=form.purpose.data,
            attendees=form.attendees.data,
            weekly=form.weekly.data or 1,
            free_dates_only=form.free_dates_only.data,
        )
        try:
            with savepoint():
                result = services.book_room(current_user, req)
        except DomainError as error:
            clashes = error.details.get("clashes")
            apply_errors(form, error)
            return render_template("bookings/new.html", form=form, room=room, clashes=clashes), error.status
        pending = result.bookings[0].status == "pending"
        flash(_("Booking requested: it waits for an organiser's approval.") if pending else _("Booked."), "success")
        for skipped in result.skipped:
            flash(_("Not booked on %(date)s: %(reason)s", date=skipped["date"], reason=skipped["message"]), "info")
        return redirect(url_for("bookings.mine"))
    return render_template("bookings/new.html", form=form, room=room, clashes=None)


def _date_arg(raw: str | None) -> date | None:
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


def _plus_hour(hhmm: str) -> str:
    try:
        hours, minutes = hhmm.split(":")
        return f"{min(int(hours) + 1, 23):02d}:{minutes}"
    except ValueError:
        return "11:00"


@bp.get("/bookings/mine")
@login_required
def mine():
    now = now_utc()
    upcoming = services.own_bookings(current_user, upcoming=True, now=now)
    return render_template(
        "bookings/mine.html",
        upcoming=upcoming,
        past=services.own_bookings(current_user, upcoming=False, now=now)[:50],
        now=now,
        has_ics="feeds.booking_feed" in current_app.view_functions,
    )


@bp.get("/bookings/<int:booking_id>")
@login_required
def show(booking_id: int):
    booking = services.visible_booking(current_user, booking_id)
    return render_template(
        "bookings/show.html",
        booking=booking,
        form=ReasonForm(),
        manages=current_user.manages_district(booking.room.home.district),
        now=now_utc(),
    )


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int):
    form = ReasonForm()
    attempt(lambda: actions.cancel_booking(current_user, booking_id, form.reason.data), _("Booking cancelled."))
    return redirect(safe_next(request.form.get("next"), url_for("bookings.mine")))


@bp.post("/bookings/<int:booking_id>/check-in")
@login_required
def check_in(booking_id: int):
    attempt(lambda: actions.check_in(current_user, booking_id), _("Checked in. Enjoy the room."))
    return redirect(safe_next(request.form.get("next"), url_for("bookings.mine")))


@bp.get("/rooms/<int:room_id>/check-in")
@login_required
def room_check_in(room_id: int):
    """Where the room's QR code leads: the caller's booking of this room open for check-in, if any."""
    room = get_room(room_id)
    return render_template(
        "bookings/room_check_in.html", room=room, bookings=actions.check_in_candidates(current_user, room.id)
    )


@bp.get("/rooms/<int:room_id>/qr.svg")
def room_qr(room_id: int):
    room = get_room(room_id)
    target = public_url("bookings.room_check_in", room_id=room.id)
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=4, title=room.name)
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


from app.bookings import staff  # noqa: E402,F401  (adds the organisers' pages to bp)
