"""Read models: rooms free for an interval, a room's busy and free time, the timelines of the find
page, a home's schedule and a room's week (built in timeline.py); the bookings a user sees (their
own, a home's, the approvals queue, those open for check-in).

Only holding bookings (pending, confirmed) and closures make time busy. Nothing here names a
booker: a timeline carries booking titles only for viewers who manage the home.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.bookings.intervals import Interval, merge, subtract
from app.bookings.timeline import Timeline, timelines
from app.database import not_sought
from app.errors.domain import NotFound, NotPermitted, ValidationFailed
from app.extensions import db
from app.homes.opening import opening_interval
from app.homes.queries import list_rooms
from app.models import Booking, Closure, Home, Room, User
from app.models.user import DISTRICTS
from app.timezones import local_day_bounds, now_utc, to_local


def _holds(room_ids: list[int], start: datetime, end: datetime):
    """(room_id, start, end, booking id) of holding bookings overlapping [start, end)."""
    return db.session.execute(
        db.select(Booking.room_id, Booking.starts_at, Booking.ends_at, Booking.id).where(
            Booking.holding_during(room_ids, start, end)
        )
    ).all()


def _closures(home_ids: set[int], start: datetime, end: datetime) -> list[Closure]:
    return list(db.session.scalars(db.select(Closure).where(Closure.during(home_ids, start, end))))


def _open_all_along(room: Room, start: datetime, end: datetime) -> bool:
    interval = opening_interval(room.home, to_local(start).date())
    return interval is not None and interval[0] <= start and end <= interval[1]


def available_rooms(
    start: datetime,
    end: datetime,
    district: str | None = None,
    min_capacity: int | None = None,
    equipment: list[str] | None = None,
) -> list[Room]:
    """Active rooms open, not closed and not held during the whole of [start, end). Two queries
    whatever the number of bookings: the overlap test (`Booking.holding_during`) runs on its index."""
    if end <= start:
        raise ValidationFailed({"end": _("The end must be after the start.")})
    return free_rooms(list_rooms(district, min_capacity, equipment), start, end)


def free_rooms(rooms: list[Room], start: datetime, end: datetime) -> list[Room]:
    """Those of `rooms` (homes loaded) open, not closed and not held during the whole of [start, end)."""
    rooms = [r for r in rooms if _open_all_along(r, start, end)]
    if not rooms:
        return []
    busy = {row[0] for row in _holds([r.id for r in rooms], start, end)}
    for closure in _closures({r.home_id for r in rooms}, start, end):
        busy.update(r.id for r in rooms if r.home_id == closure.home_id and closure.room_id in (None, r.id))
    return [r for r in rooms if r.id not in busy]


@dataclass
class DaySchedule:
    day: date
    open: Interval | None
    busy: list[Interval]
    free: list[Interval]


def room_week(room: Room, first_day: date, days: int = 7) -> list[DaySchedule]:
    """Busy and free time of a room, day by day (local), within each day's opening hours."""
    start, _unused = local_day_bounds(first_day)
    end = local_day_bounds(first_day + timedelta(days=days - 1))[1]
    taken = [(s, e) for _r, s, e, _id in _holds([room.id], start, end)]
    taken += [(c.starts_at, c.ends_at) for c in _closures({room.home_id}, start, end) if c.room_id in (None, room.id)]
    schedule = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        bounds = local_day_bounds(day)
        busy = merge([(max(s, bounds[0]), min(e, bounds[1])) for s, e in taken if s < bounds[1] and e > bounds[0]])
        interval = opening_interval(room.home, day)
        free = subtract(interval, busy) if interval else []
        schedule.append(DaySchedule(day, interval, busy, free))
    return schedule


def room_day(room: Room, day: date) -> DaySchedule:
    return room_week(room, day, 1)[0]


def find_timelines(rooms: list[Room], day: date, viewer, search: Interval | None = None) -> list[tuple[Home, Timeline]]:
    """The find page: (home, the timeline of its rooms among `rooms`) for each home with some; one read for all."""
    homes = sorted({r.home_id: r.home for r in rooms}.values(), key=lambda home: home.id)
    groups = [[(r, day) for r in rooms if r.home_id == home.id] for home in homes]
    return list(zip(homes, timelines(groups, viewer, search=search), strict=True))


def schedule_timelines(rooms: list[Room], days: list[date], viewer) -> list[Timeline]:
    """A home's schedule: a timeline of its rooms for each day; one read for the whole week."""
    return timelines([[(r, day) for r in rooms] for day in days], viewer)


def room_week_timeline(room: Room, first_day: date, viewer, days: int = 7) -> Timeline:
    """A room's week: a lane per day."""
    return timelines([[(room, first_day + timedelta(days=n)) for n in range(days)]], viewer)[0]


def visible_booking(user: User, booking_id: int) -> Booking:
    """The booking if the user may see it; 404 otherwise."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.visible_to(user):
        raise NotFound(_("No such booking."))
    return booking


def own_bookings(user: User, upcoming: bool | None = None, now: datetime | None = None) -> list[Booking]:
    """The user's own room bookings; `upcoming` True: not yet ended, False: ended, None: all."""
    now = now or now_utc()
    query = db.select(Booking).where(Booking.user_id == user.id, Booking.event_session_id.is_(None))
    # Each booking shows its room and home: loaded together, not one statement per room.
    query = query.options(selectinload(Booking.room).selectinload(Room.home))
    if upcoming is True:
        query = query.where(Booking.ends_at > now).order_by(Booking.starts_at)
    elif upcoming is False:
        query = query.where(Booking.ends_at <= now).order_by(Booking.starts_at.desc())
    else:
        query = query.order_by(Booking.starts_at)
    return list(db.session.scalars(query))


def home_bookings(
    user: User, home: Home, start: datetime | None = None, end: datetime | None = None, status: str | None = None
) -> list[Booking]:
    """Bookings (and event reservations) in a home, for its organisers; 403 for anyone else."""
    rooms = _managed_rooms(user, home)
    query = db.select(Booking).where(*_in_rooms(list(rooms), start, end, status))
    # Their bookers come with them, by primary key (a page lists every booking's booker, by name
    # only). Joined instead, PostgreSQL hashed the whole users table at a million bookings (18 ms).
    query = query.options(selectinload(Booking.user).load_only(User.id, User.name))
    found = list(db.session.scalars(query.order_by(Booking.starts_at, Booking.room_id)))
    for booking in found:
        set_committed_value(booking, "room", rooms[booking.room_id])
    return found


class Listed(NamedTuple):
    """A booking as a home's schedule lists it: its columns, and its booker's name ('' for none)."""

    id: int
    room_id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    status: str
    series_id: str | None
    checked_in_at: datetime | None
    booker: str


def home_schedule(user: User, home: Home, start: datetime, end: datetime) -> list[Listed]:
    """`home_bookings` as the schedule page lists them, read as rows (a day's many bookings cost a
    fifth of their ORM objects): one statement for the bookings, one for their bookers' names by
    primary key. 403 for anyone but the home's organisers."""
    rooms = _managed_rooms(user, home)
    b = Booking
    found = db.session.execute(
        db.select(b.id, b.room_id, b.starts_at, b.ends_at, b.title, b.status, b.series_id, b.checked_in_at, b.user_id)
        .where(*_in_rooms(list(rooms), start, end))
        .order_by(b.starts_at, b.room_id)
    ).all()
    ids = {row.user_id for row in found if row.user_id is not None}
    names = {}
    if ids:
        names = {uid: name for uid, name in db.session.execute(db.select(User.id, User.name).where(User.id.in_(ids)))}
    return [Listed(*row[:-1], names.get(row.user_id, "")) for row in found]


def _managed_rooms(user: User, home: Home) -> dict[int, Room]:
    """The home's rooms by id (read once and given to its bookings), if the user manages the home."""
    if not user.manages_district(home.district):
        raise NotPermitted(_("Only organisers of this home may do this."))
    return {room.id: room for room in home.rooms}


def _in_rooms(room_ids: list[int], start: datetime | None, end: datetime | None, status: str | None = None) -> list:
    """The filter of a home's bookings: in these rooms, overlapping [start, end) where given."""
    where = [Booking.room_id.in_(room_ids)]
    if start is not None:
        where.append(Booking.ends_at > start)
    if end is not None:
        # Filtered on, not sought by: SQLite would otherwise read each room's whole past by
        # (room, start) rather than its bookings ending after `start` by (room, end).
        where.append(not_sought(Booking.starts_at) < end)
    if status is not None:
        where.append(Booking.status == status)
    return where


def pending_for(user: User) -> list[Booking]:
    """The approvals queue: pending bookings of the homes the user manages, soonest first."""
    districts = [d for d in DISTRICTS if user.manages_district(d)]
    if not districts:
        return []
    return list(
        db.session.scalars(
            db.select(Booking)
            .join(Room)
            .join(Home)
            .where(Booking.status == "pending", Home.district.in_(districts))
            .order_by(Booking.starts_at)
        )
    )


def suspended_users(now: datetime | None = None) -> list[User]:
    now = now or now_utc()
    return list(
        db.session.scalars(
            db.select(User).where(User.booking_suspended_until > now).order_by(User.booking_suspended_until)
        )
    )
