"""Helpers for the booking tests: a fixed clock, requests, rows made directly, working days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.bookings.services.booking import BookingRequest
from app.extensions import db
from app.homes.opening import is_makeup_workday, public_holiday_name
from app.models import Booking
from app.timezones import local_today, parse_datetime

# Tuesday 10 November 2026, 08:00 in Asia/Shanghai: no holiday within the next 31 days.
NOW_TEXT = "2026-11-10 08:00"


def at(text: str) -> datetime:
    """'2026-11-12 10:00' (Asia/Shanghai) as aware UTC."""
    return parse_datetime(text.replace(" ", "T"))


NOW = at(NOW_TEXT)


def req(room, start: str, end: str, **fields) -> BookingRequest:
    fields.setdefault("title", "研讨会 Seminar")
    fields.setdefault("purpose", "seminar")
    fields.setdefault("attendees", 4)
    return BookingRequest(room_id=room.id, start=at(start), end=at(end), **fields)


def add_booking(room, user, start: datetime, end: datetime, status: str = "confirmed", **fields) -> Booking:
    booking = Booking(
        room_id=room.id,
        user_id=user.id if user else None,
        starts_at=start,
        ends_at=end,
        title=fields.pop("title", "existing"),
        status=status,
        **fields,
    )
    db.session.add(booking)
    db.session.commit()
    return booking


def workday(days_ahead: int = 2) -> date:
    """The first ordinary Monday–Friday at least `days_ahead` days from today (local)."""
    day = local_today() + timedelta(days=days_ahead)
    while day.weekday() > 4 or public_holiday_name(day) or is_makeup_workday(day):
        day += timedelta(days=1)
    return day


def iso(day: date, hhmm: str) -> str:
    return f"{day.isoformat()}T{hhmm}:00+08:00"
