"""API: room availability, a room's schedule, and bookings (see API.md)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, json_body, login_required, query_int
from app.api.homes import room_json
from app.bookings import actions, availability, services
from app.errors.domain import ValidationFailed
from app.homes.services import get_room
from app.models import Booking
from app.models.user import DISTRICTS
from app.timezones import iso_local, local_today, now_utc, parse_date, parse_datetime
from app.unit_of_work import keep_work, savepoint


def booking_json(booking: Booking, viewer=None) -> dict:
    data = {
        "id": booking.id,
        "room_id": booking.room_id,
        "room": booking.room.name,
        "home": booking.room.home.district,
        "start": iso_local(booking.starts_at),
        "end": iso_local(booking.ends_at),
        "title": booking.title,
        "purpose": booking.purpose,
        "attendees": booking.attendees,
        "status": booking.status,
        "status_reason": booking.status_reason,
        "checked_in_at": iso_local(booking.checked_in_at),
        "series_id": booking.series_id,
        "created_at": iso_local(booking.created_at),
    }
    if viewer is not None:
        now = now_utc()
        data["can_cancel"] = booking.can_cancel(viewer, now)
        data["can_check_in"] = booking.can_check_in(viewer, now)
    if viewer is not None and booking.managed_by(viewer):
        data["user"] = {"id": booking.user.id, "name": booking.user.name} if booking.user else None
    return data


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


def _district_arg():
    district = request.args.get("home") or None
    if district is not None and district not in DISTRICTS:
        raise ValidationFailed({"home": _("Use liwan or nanhai.")})
    return district


@bp.get("/rooms/available")
def rooms_available():
    start, end = _time_arg(request.args, "start"), _time_arg(request.args, "end")
    equipment = [e for e in request.args.get("equipment", "").split(",") if e]
    rooms = availability.available_rooms(start, end, _district_arg(), query_int("min_capacity", 1), equipment)
    return {"items": [room_json(r) for r in rooms]}


def _interval_json(intervals) -> list[dict]:
    return [{"start": iso_local(s), "end": iso_local(e)} for s, e in intervals]


@bp.get("/rooms/<int:room_id>/schedule")
def room_schedule(room_id: int):
    raw = request.args.get("date")
    try:
        day = parse_date(raw) if raw else local_today()
    except ValueError:
        raise ValidationFailed({"date": _("Use YYYY-MM-DD.")}) from None
    schedule = availability.room_day(get_room(room_id), day)
    return {
        "room_id": room_id,
        "date": day.isoformat(),
        "open": _interval_json([schedule.open])[0] if schedule.open else None,
        "busy": _interval_json(schedule.busy),
        "free": _interval_json(schedule.free),
    }


def _booking_request(data: dict) -> services.BookingRequest:
    room_id = data.get("room_id")
    if not isinstance(room_id, int) or isinstance(room_id, bool):
        raise ValidationFailed({"room_id": _("Required.")})
    repeat = data.get("repeat")
    if repeat is not None and not (isinstance(repeat, dict) and "weekly" in repeat):
        raise ValidationFailed({"repeat": _('Use {"weekly": N}.')})
    return services.BookingRequest(
        room_id=room_id,
        start=_time_arg(data, "start"),
        end=_time_arg(data, "end"),
        title=data.get("title"),
        purpose=data.get("purpose") or "other",
        attendees=data.get("attendees", 1),
        weekly=repeat["weekly"] if repeat else 1,
        free_dates_only=bool(data.get("free_dates_only")),
    )


@bp.post("/bookings")
@login_required
def create_booking():
    data = json_body()
    booking_request = _booking_request(data)
    if services.settle_no_shows(current_user):
        keep_work()  # the no-shows stand even when the booking below is refused
    with savepoint():
        result = services.book_room(current_user, booking_request)
    # Serialised before the request's commit, which would expire the rows and cost a second transaction
    # to reload them.
    if "repeat" not in data:
        payload = booking_json(result.bookings[0], current_user)
    else:
        payload = {"items": [booking_json(b, current_user) for b in result.bookings], "skipped": result.skipped}
    return payload, 201


@bp.get("/bookings")
@login_required
def list_bookings():
    district = _district_arg()
    if district:
        found = services.home_bookings(current_user, district, _time_arg(request.args, "from", False))
    else:
        found = services.own_bookings(current_user)
    return {"items": [booking_json(b, current_user) for b in found]}


@bp.get("/bookings/<int:booking_id>")
@login_required
def get_booking(booking_id: int):
    return booking_json(services.visible_booking(current_user, booking_id), current_user)


def _reason() -> str | None:
    data = request.get_json(silent=True)
    return data.get("reason") if isinstance(data, dict) and isinstance(data.get("reason"), str) else None


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id: int):
    payload = booking_json(actions.cancel_booking(current_user, booking_id, _reason()), current_user)
    return payload


@bp.post("/bookings/<int:booking_id>/approve")
@login_required
def approve_booking(booking_id: int):
    payload = booking_json(actions.decide_booking(current_user, booking_id, True, _reason()), current_user)
    return payload


@bp.post("/bookings/<int:booking_id>/reject")
@login_required
def reject_booking(booking_id: int):
    payload = booking_json(actions.decide_booking(current_user, booking_id, False, _reason()), current_user)
    return payload


@bp.post("/bookings/<int:booking_id>/check-in")
@login_required
def check_in_booking(booking_id: int):
    payload = booking_json(actions.check_in(current_user, booking_id), current_user)
    return payload
