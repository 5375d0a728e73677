"""API: room availability, a room's schedule, and bookings (see API.md)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, json_body, login_required, query_int
from app.api.homes import district_arg, equipment_arg
from app.api.schemas import Items
from app.api.schemas.inputs import AvailableQuery, BookingIn, BookingsQuery, DayQuery, Reason
from app.api.schemas.places import Booking, BookingSeries, Interval, Room, Schedule, Skipped
from app.api.spec import operation
from app.bookings import queries
from app.bookings.services import actions, booking
from app.errors.domain import ValidationFailed
from app.homes.queries import get_room
from app.timezones import local_today, parse_date, parse_datetime
from app.unit_of_work import keep_work, savepoint


def _time_arg(source: dict, name: str, required: bool = True):
    value = source.get(name)
    if value in (None, ""):
        if required:
            raise ValidationFailed({name: _("Required.")})
        return None
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        raise ValidationFailed({name: _("Use an ISO 8601 date and time.")}) from None


@bp.get("/rooms/available")
@operation("Rooms free for the whole interval", Items[Room], query=AvailableQuery, auth=False)
def rooms_available():
    start, end = _time_arg(request.args, "start"), _time_arg(request.args, "end")
    rooms = queries.available_rooms(start, end, district_arg(), query_int("min_capacity", 1), equipment_arg())
    return Items[Room](items=[Room.of(r) for r in rooms])


@bp.get("/rooms/<int:room_id>/schedule")
@operation("A room's day", Schedule, "404", query=DayQuery, auth=False)
def room_schedule(room_id: int):
    raw = request.args.get("date")
    try:
        day = parse_date(raw) if raw else local_today()
    except ValueError:
        raise ValidationFailed({"date": _("Use YYYY-MM-DD.")}) from None
    schedule = queries.room_day(get_room(room_id), day)
    return Schedule(
        room_id=room_id,
        date=day.isoformat(),
        open=Interval(start=schedule.open[0], end=schedule.open[1]) if schedule.open else None,
        busy=Interval.many(schedule.busy),
        free=Interval.many(schedule.free),
    )


def _booking_request(data: dict) -> booking.BookingRequest:
    room_id = data.get("room_id")
    if not isinstance(room_id, int) or isinstance(room_id, bool):
        raise ValidationFailed({"room_id": _("Required.")})
    repeat = data.get("repeat")
    if repeat is not None and not (isinstance(repeat, dict) and "weekly" in repeat):
        raise ValidationFailed({"repeat": _('Use {"weekly": N}.')})
    return booking.BookingRequest(
        room_id=room_id,
        start=_time_arg(data, "start"),
        end=_time_arg(data, "end"),
        title=data.get("title"),
        purpose=data.get("purpose") or "other",
        attendees=data.get("attendees", 1),
        weekly=repeat["weekly"] if repeat else 1,
        free_dates_only=bool(data.get("free_dates_only")),
        equipment=data.get("equipment") or [],
    )


@bp.post("/bookings")
@operation("Book a room", Booking | BookingSeries, "401 403 404 409", status=201, body=BookingIn)
@login_required
def create_booking():
    data = json_body()
    booking_request = _booking_request(data)
    if booking.settle_no_shows(current_user):
        keep_work()  # the no-shows stand even when the booking below is refused
    with savepoint():
        result = booking.book_room(current_user, booking_request)
    # Serialised before the request's commit, which would expire the rows and cost a second transaction
    # to reload them.
    if "repeat" not in data:
        return Booking.of(result.bookings[0], current_user), 201
    shaped = [Booking.of(b, current_user) for b in result.bookings]
    return BookingSeries(items=shaped, skipped=[Skipped(**s) for s in result.skipped]), 201


@bp.get("/bookings")
@operation("Own bookings (organisers: ?home=; ?series= one series)", Items[Booking], "401 403 404", query=BookingsQuery)
@login_required
def list_bookings():
    district = district_arg()
    if request.args.get("series"):
        found = actions.series_bookings(current_user, request.args["series"])
    elif district:
        found = queries.home_bookings(current_user, district, _time_arg(request.args, "from", False))
    else:
        found = queries.own_bookings(current_user)
    return Items[Booking](items=[Booking.of(b, current_user) for b in found])


@bp.get("/bookings/<int:booking_id>")
@operation("One booking", Booking, "401 404")
@login_required
def get_booking(booking_id: int):
    return Booking.of(queries.visible_booking(current_user, booking_id), current_user)


@bp.post("/booking-series/<series_id>/cancel")
@operation("Cancel the dates of a series that have not started", Items[Booking], "401 404", body=Reason)
@login_required
def cancel_series(series_id: str):
    cancelled = actions.cancel_series(current_user, series_id, _reason())
    return Items[Booking](items=[Booking.of(b, current_user) for b in cancelled])


def _reason() -> str | None:
    data = request.get_json(silent=True)
    return data.get("reason") if isinstance(data, dict) and isinstance(data.get("reason"), str) else None


@bp.post("/bookings/<int:booking_id>/cancel")
@operation("Cancel a booking", Booking, "401 403 404 409", body=Reason)
@login_required
def cancel_booking(booking_id: int):
    return Booking.of(actions.cancel_booking(current_user, booking_id, _reason()), current_user)


@bp.post("/bookings/<int:booking_id>/approve")
@operation("Approve a booking", Booking, "401 403 404 409", body=Reason)
@login_required
def approve_booking(booking_id: int):
    return Booking.of(actions.decide_booking(current_user, booking_id, True, _reason()), current_user)


@bp.post("/bookings/<int:booking_id>/reject")
@operation("Reject a booking", Booking, "401 403 404 409", body=Reason)
@login_required
def reject_booking(booking_id: int):
    return Booking.of(actions.decide_booking(current_user, booking_id, False, _reason()), current_user)


@bp.post("/bookings/<int:booking_id>/check-in")
@operation("Check in a booking", Booking, "401 403 404 409", body=Reason)
@login_required
def check_in_booking(booking_id: int):
    return Booking.of(actions.check_in(current_user, booking_id), current_user)
