"""Plan B for a refused booking: free times of the same length, nearest first.

First the same room, at the free times nearest the asked one on that day and the next (within
opening hours, not closed, not in the past, not clashing); then other rooms with enough places and
the asked equipment at the asked time, in the same home and then the other. The busy time of each
home's rooms over the two days is read in one statement per home (bookings and closures together)
and the rest is computed here, so the number of queries does not grow with the number of bookings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import union_all
from sqlalchemy.orm import contains_eager

from app.bookings.services import rules
from app.extensions import db
from app.homes.opening import opening_interval
from app.models import Booking, Closure, Home, Room
from app.timezones import iso_local, local_day_bounds, local_today, now_utc, to_local

# The refusals that come with alternatives (API.md, "Alternatives").
REFUSALS_WITH_ALTERNATIVES = ("conflict", "closed", "outside_opening_hours", "over_capacity")
MOST = 5
SAME_ROOM_FIRST = 3  # the same room's nearest times lead; other rooms fill the rest

Busy = dict[int | None, list[tuple[datetime, datetime]]]  # room id (None: the whole home) → intervals


@dataclass(frozen=True)
class Alternative:
    room: Room
    start: datetime
    end: datetime

    @property
    def home(self) -> Home:
        return self.room.home

    def as_json(self) -> dict:
        return {
            "room_id": self.room.id,
            "home": self.room.home.district,
            "start": iso_local(self.start),
            "end": iso_local(self.end),
        }


def _active_rooms() -> list[Room]:
    query = (
        db.select(Room)
        .join(Home)
        .options(contains_eager(Room.home))
        .where(Room.active.is_(True))
        .order_by(Home.id, Room.id)
    )
    return list(db.session.scalars(query).unique())


def _busy_of_home(home_id: int, room_ids: list[int], start: datetime, end: datetime) -> Busy:
    """Held bookings of the rooms and closures of the home overlapping [start, end): one statement."""
    holds = db.select(Booking.room_id, Booking.starts_at, Booking.ends_at).where(
        Booking.holding_during(room_ids, start, end)
    )
    closures = db.select(Closure.room_id, Closure.starts_at, Closure.ends_at)
    closures = closures.where(Closure.during([home_id], start, end))
    busy: Busy = {}
    for room_id, starts, ends in db.session.execute(union_all(holds, closures)):
        busy.setdefault(room_id, []).append((_aware(starts), _aware(ends)))
    return busy


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _is_free(busy: Busy, room: Room, start: datetime, end: datetime) -> bool:
    return not any(s < end and e > start for s, e in busy.get(room.id, ())) and not any(
        s < end and e > start for s, e in busy.get(None, ())
    )


Hours = dict[tuple[int, date], tuple[datetime, datetime] | None]  # (home id, day) → opening interval


class _Frame:
    """What every candidate is checked against: the two days' opening hours, now, and each room's
    limits and last bookable day (worked out once per room, not once per candidate)."""

    def __init__(self, hours: Hours, now: datetime):
        self.hours, self.now, self.today = hours, now, local_today(now)
        self._limits: dict[int, tuple[rules.Limits, date]] = {}

    def limits(self, room: Room) -> tuple[rules.Limits, date]:
        if room.id not in self._limits:
            limits = rules.limits_for(room)
            self._limits[room.id] = limits, self.today + timedelta(days=limits.max_days_ahead)
        return self._limits[room.id]

    def fits(self, room: Room, start: datetime, end: datetime) -> bool:
        """Open all along, in the future, within the horizon and the room's length limits."""
        day = to_local(start).date()
        interval = self.hours.get((room.home_id, day))
        if interval is None or start < interval[0] or end > interval[1] or start < self.now:
            return False
        limits, last_day = self.limits(room)
        minutes = (end - start).total_seconds() / 60
        return limits.min_minutes <= minutes <= limits.max_minutes and day <= last_day


def _same_room(room: Room, start: datetime, end: datetime, frame: _Frame, busy: Busy):
    """Free starts on the step grid of both days, nearest to the asked start first."""
    length, step = end - start, timedelta(minutes=frame.limits(room)[0].step_minutes)
    found = []
    for (home_id, _day), interval in frame.hours.items():
        if home_id != room.home_id or interval is None:
            continue
        cursor = interval[0]
        while cursor + length <= interval[1]:
            if (
                cursor != start
                and frame.fits(room, cursor, cursor + length)
                and _is_free(busy, room, cursor, cursor + length)
            ):
                found.append(Alternative(room, cursor, cursor + length))
            cursor += step
    return sorted(found, key=lambda a: (abs(a.start - start), a.start))


def _other_rooms(room: Room, rooms: list[Room], start, end, busy_by_home: dict[int, Busy], frame: _Frame):
    """Other rooms free at the asked time, the same home before the other one."""
    found = [
        Alternative(other, start, end)
        for other in rooms
        if other.id != room.id
        and frame.fits(other, start, end)
        and _is_free(busy_by_home.get(other.home_id, {}), other, start, end)
    ]
    return sorted(found, key=lambda a: (a.room.home_id != room.home_id, a.room.home_id, a.room.id))


def alternatives_for(
    room: Room, start: datetime, end: datetime, attendees: int, equipment=(), now: datetime | None = None
) -> list[Alternative]:
    """Up to five free intervals as long as [start, end): the same room first, then other rooms."""
    now = now or now_utc()
    wanted = set(equipment or ())
    rooms = [r for r in _active_rooms() if r.capacity >= attendees and wanted <= set(r.equipment or [])]
    first_day = to_local(start).date()
    days = [first_day, first_day + timedelta(days=1)]
    window = local_day_bounds(days[0])[0], local_day_bounds(days[1])[1]
    homes = sorted({r.home_id for r in rooms} | ({room.home_id} if room in rooms else set()))
    by_id = {r.home_id: r.home for r in rooms} | {room.home_id: room.home}
    hours = {(home_id, day): opening_interval(home, day) for home_id, home in by_id.items() for day in days}
    busy_by_home = {
        home_id: _busy_of_home(home_id, [r.id for r in rooms if r.home_id == home_id], *window) for home_id in homes
    }
    frame = _Frame(hours, now)
    same = []
    if room in rooms:
        same = _same_room(room, start, end, frame, busy_by_home.get(room.home_id, {}))
    others = _other_rooms(room, rooms, start, end, busy_by_home, frame)
    n_others = min(len(others), MOST - min(len(same), SAME_ROOM_FIRST))
    return same[: MOST - n_others] + others[:n_others]
