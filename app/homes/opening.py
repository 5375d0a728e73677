"""When a home is open: weekly hours, mainland public holidays with their make-up days, closures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, exists

from app.extensions import db
from app.homes.holiday_calendar import holiday_name, is_makeup_workday
from app.models import Closure, Home
from app.models.base import UTCDateTime
from app.models.home import WEEKDAYS
from app.timezones import local_datetime, parse_hhmm, to_local


def public_holiday_name(day: date) -> str | None:
    """The mainland public holiday (法定节假日, incl. days off moved by 调休) on that day, if any,
    named in the page's language; administrators' corrections win over the package."""
    return holiday_name(day)


def opening_interval(home: Home, day: date) -> tuple[datetime, datetime] | None:
    """The home's open hours on a local date as UTC instants, or None when closed all day.

    Public holidays close the home; a make-up working day (a Saturday or Sunday worked for a holiday)
    keeps Monday's hours.
    """
    if public_holiday_name(day):
        return None
    key = "mon" if is_makeup_workday(day) else WEEKDAYS[day.weekday()]
    hours = (home.opening_hours or {}).get(key)
    if not hours:
        return None
    return local_datetime(day, parse_hhmm(hours[0])), local_datetime(day, parse_hhmm(hours[1]))


def closures_overlapping(home_id: int, room_id: int | None, start: datetime, end: datetime) -> list[Closure]:
    """Closures of the whole home, or of this room, that overlap [start, end)."""
    values = {"home_id": home_id, "start": start, "end": end}
    if room_id is None:
        return list(db.session.scalars(_closures(of_a_room=False), values))
    return list(db.session.scalars(_closures(of_a_room=True), values | {"room_id": room_id}))


def closed_during(home_id, room_id, start, end):
    """SQL: is there a closure `closures_overlapping` would find? For a read that asks it within its
    own statement (the arguments may be columns of that statement or bound parameters)."""
    return exists().where(_applying(home_id, room_id, start, end))


def _applying(home_id, room_id, start, end):
    """Closures of the whole home, or (when `room_id` is given) of that room, overlapping [start, end)."""
    whole_home = Closure.room_id.is_(None)
    applies = whole_home if room_id is None else whole_home | (Closure.room_id == room_id)
    return and_(Closure.during([home_id], start, end), applies)


@cache
def _closures(of_a_room: bool):
    """The statement of `closures_overlapping`, built once (every booking runs it)."""
    start, end = bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())
    room_id = bindparam("room_id") if of_a_room else None
    return db.select(Closure).where(_applying(bindparam("home_id"), room_id, start, end)).order_by(Closure.starts_at)


def local_days(start: datetime, end: datetime) -> list[date]:
    """Local dates touched by [start, end)."""
    first, last = to_local(start).date(), to_local(end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
