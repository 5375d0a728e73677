"""API: room availability, a room's schedule, and bookings (see API.md)."""

from __future__ import annotations

from flask_login import current_user

from app.api import bp, login_required
from app.api.homes import equipment
from app.api.schemas import Items
from app.api.schemas.inputs import BookingIn, Reason
from app.api.schemas.places import Booking, BookingSeries, Interval, Room, Schedule, Skipped
from app.api.schemas.queries import AvailableQuery, BookingsQuery, DayQuery
from app.api.spec import operation
from app.bookings import queries
from app.bookings.services import actions, booking
from app.homes.queries import get_room, home_by_district
from app.timezones import local_today


@bp.get("/rooms/available")
@operation("Rooms free for the whole interval", Items[Room], query=AvailableQuery, auth=False)
def rooms_available(query: AvailableQuery):
    rooms = queries.available_rooms(query.start, query.end, query.home, query.min_capacity, equipment(query))
    return Items[Room](items=[Room.of(r) for r in rooms])


@bp.get("/rooms/<int:room_id>/schedule")
@operation("A room's day", Schedule, "404", query=DayQuery, auth=False)
def room_schedule(room_id: int, query: DayQuery):
    day = query.date or local_today()
    schedule = queries.room_day(get_room(room_id), day)
    return Schedule(
        room_id=room_id,
        date=day.isoformat(),
        open=Interval(start=schedule.open[0], end=schedule.open[1]) if schedule.open else None,
        busy=Interval.many(schedule.busy),
        free=Interval.many(schedule.free),
    )


def _booking_request(body: BookingIn) -> booking.BookingRequest:
    return booking.BookingRequest(
        room_id=body.room_id,
        start=body.start,
        end=body.end,
        title=body.title,
        purpose=body.purpose or "other",
        attendees=1 if body.attendees is None else body.attendees,
        weekly=body.repeat.weekly if body.repeat else 1,
        free_dates_only=bool(body.free_dates_only),
        equipment=body.equipment or [],
    )


@bp.post("/bookings")
@login_required
@operation("Book a room", Booking | BookingSeries, "401 403 404 409", status=201, body=BookingIn)
def create_booking(body: BookingIn):
    booking_request = _booking_request(body)
    result = booking.book(current_user, booking_request)
    # Serialised before the request's commit, which would expire the rows and cost a second transaction
    # to reload them.
    if body.repeat is None:
        return Booking.of(result.bookings[0], current_user), 201
    shaped = [Booking.of(b, current_user) for b in result.bookings]
    return BookingSeries(items=shaped, skipped=[Skipped(**s) for s in result.skipped]), 201


@bp.get("/bookings")
@login_required
@operation("Own bookings (organisers: ?home=; ?series= one series)", Items[Booking], "401 403 404", query=BookingsQuery)
def list_bookings(query: BookingsQuery):
    if query.series:
        found = actions.series_bookings(current_user, query.series)
    elif query.home:
        found = queries.home_bookings(current_user, home_by_district(query.home), query.from_)
    else:
        found = queries.own_bookings(current_user)
    return Items[Booking](items=[Booking.of(b, current_user) for b in found])


@bp.get("/bookings/<int:booking_id>")
@login_required
@operation("One booking", Booking, "401 404")
def get_booking(booking_id: int):
    return Booking.of(queries.visible_booking(current_user, booking_id), current_user)


@bp.post("/booking-series/<series_id>/cancel")
@login_required
@operation(
    "Cancel the dates of a series that have not started", Items[Booking], "401 404", body=Reason, body_required=False
)
def cancel_series(series_id: str, body: Reason):
    cancelled = actions.cancel_series(current_user, series_id, body.reason)
    return Items[Booking](items=[Booking.of(b, current_user) for b in cancelled])


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
@operation("Cancel a booking", Booking, "401 403 404 409", body=Reason, body_required=False)
def cancel_booking(booking_id: int, body: Reason):
    return Booking.of(actions.cancel_booking(current_user, booking_id, body.reason), current_user)


@bp.post("/bookings/<int:booking_id>/approve")
@login_required
@operation("Approve a booking", Booking, "401 403 404 409", body=Reason, body_required=False)
def approve_booking(booking_id: int, body: Reason):
    return Booking.of(actions.decide_booking(current_user, booking_id, True, body.reason), current_user)


@bp.post("/bookings/<int:booking_id>/reject")
@login_required
@operation("Reject a booking", Booking, "401 403 404 409", body=Reason, body_required=False)
def reject_booking(booking_id: int, body: Reason):
    return Booking.of(actions.decide_booking(current_user, booking_id, False, body.reason), current_user)


@bp.post("/bookings/<int:booking_id>/check-in")
@login_required
@operation("Check in a booking", Booking, "401 403 404 409 422")
def check_in_booking(booking_id: int):
    return Booking.of(actions.check_in(current_user, booking_id), current_user)
