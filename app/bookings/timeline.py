"""The timeline read model: lanes (a room on a day) of half-hour columns within opening hours, each
booking or closure ONE block spanning its length, free time as half-hour links to the booking form.

One statement reads the bookings and closures of every lane (a UNION ALL), whatever the number of
rooms or days. Who sees what: the home's organisers see titles; the booker sees "yours"; anyone
else sees "booked" (or "requested" while it waits for approval). No booker's name is carried.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import bindparam, literal, null, union_all

from app.database import run_core
from app.extensions import db
from app.homes.opening import opening_interval, public_holiday_name
from app.models import Booking, Closure, Room
from app.models.base import UTCDateTime
from app.timezones import local_day_bounds, now_utc, to_local

STEP = timedelta(minutes=30)
DEFAULT_LENGTH = timedelta(hours=1)


class Item(NamedTuple):
    kind: str  # booking | closure
    id: int
    room_id: int | None
    home_id: int | None
    starts_at: datetime
    ends_at: datetime
    status: str | None
    user_id: int | None
    label: str


@dataclass
class Block:
    """A run of columns: kind free | booking | closure | closed (outside hours) | past."""

    kind: str
    start: datetime
    end: datetime
    span: int = 1
    state: str = ""  # a booking: yours | booked
    pending: bool = False
    label: str = ""  # a booking's title (organisers only), a closure's reason
    booking_id: int | None = None  # set when the viewer may open the booking
    key: tuple | None = None  # cells with the same key join into one block; free half-hours never do
    book_end: datetime | None = None  # a free half-hour: the end its booking link proposes
    searched: bool = False
    column: datetime | None = None  # where its first column starts
    now_at: int | None = None  # where "now" falls in the block's columns, in 5 % steps
    # Local clock texts, set once the lane is built, so a page formats no time per cell:
    when: str = ""  # "10:00–12:00", the time it covers (`shown`)
    at: str = ""  # "10:00", its start
    until: str = ""  # a free half-hour: "11:00", the end its booking link proposes

    @property
    def shown(self) -> tuple[datetime, datetime]:
        """Its time within the columns it covers (a closure may last for days)."""
        first = self.column or self.start
        return max(self.start, first), min(self.end, first + self.span * STEP)


@dataclass
class Lane:
    room: Room
    day: date
    blocks: list[Block]
    closed: str = ""  # "holiday" or "hours" when the room's home is closed all day


@dataclass
class Hour:
    start: datetime  # of the first lane's day
    span: int
    focus: bool = False
    now_at: int | None = None


@dataclass
class Timeline:
    lanes: list[Lane]
    hours: list[Hour] = field(default_factory=list)
    columns: int = 0
    now: datetime | None = None  # set when "now" is within the timeline


def _items(rooms: list[Room], start: datetime, end: datetime) -> list[Item]:
    """Holding bookings of the rooms and closures of their homes overlapping [start, end): one statement."""
    values = {"room_ids": [r.id for r in rooms], "home_ids": sorted({r.home_id for r in rooms})}
    # Past the ORM's layer (run_core): it loads no objects, and a page that reads has nothing to flush.
    return [Item(*row) for row in run_core(_items_statement(), values | {"start": start, "end": end})]


@lru_cache(maxsize=1)
def _items_statement():
    """The statement of `_items`, built once (every timeline runs it)."""
    kind, nothing = literal("booking").label("kind"), null()
    b, c = Booking, Closure
    start, end = bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())
    bookings = db.select(kind, b.id, b.room_id, nothing, b.starts_at, b.ends_at, b.status, b.user_id, b.title).where(
        b.holding_during(bindparam("room_ids", expanding=True), start, end)
    )
    closures = db.select(
        literal("closure"), c.id, c.room_id, c.home_id, c.starts_at, c.ends_at, nothing, nothing, c.reason
    ).where(c.during(bindparam("home_ids", expanding=True), start, end))
    return union_all(bookings, closures)


def _bounds(lanes: list[tuple[Room, date]], hours: dict) -> tuple[timedelta, timedelta]:
    """The earliest opening and the latest closing among the lanes, as offsets from local midnight."""
    offsets = []
    for room, day in lanes:
        interval = hours[room.home_id, day]
        if interval:
            midnight = local_day_bounds(day)[0]
            offsets.append((interval[0] - midnight, interval[1] - midnight))
    if not offsets:
        return timedelta(hours=9), timedelta(hours=21)
    first, last = min(o[0] for o in offsets), max(o[1] for o in offsets)
    return first - first % STEP, last + (-last) % STEP


def timelines(
    groups: list[list[tuple[Room, date]]],
    viewer=None,
    now: datetime | None = None,
    search: tuple[datetime, datetime] | None = None,
) -> list[Timeline]:
    """A timeline per group of lanes, all read in one statement; `search` marks and focuses the searched time."""
    now = now or now_utc()
    lanes = [lane for group in groups for lane in group]
    if not lanes:
        return [Timeline([]) for _group in groups]
    days = sorted({day for _room, day in lanes})
    rooms = list({room.id: room for room, _day in lanes}.values())
    index: dict = defaultdict(list)
    for item in _items(rooms, local_day_bounds(days[0])[0], local_day_bounds(days[-1])[1]):
        index[item.room_id if item.kind == "booking" else ("home", item.home_id, item.room_id)].append(item)
    return [_timeline(group, index, viewer, now, search) for group in groups]


def _timeline(lanes: list[tuple[Room, date]], index: dict, viewer, now: datetime, search) -> Timeline:
    if not lanes:
        return Timeline([])
    # Each home's opening hours of each day, worked out once for all its lanes.
    hours = {}
    for room, day in lanes:
        if (room.home_id, day) not in hours:
            hours[room.home_id, day] = opening_interval(room.home, day)
    first, last = _bounds(lanes, hours)
    signed_in = bool(viewer is not None and getattr(viewer, "is_authenticated", False))
    built = []
    for room, day in lanes:
        own = index[room.id] + index[("home", room.home_id, None)] + index[("home", room.home_id, room.id)]
        who = (viewer.id, viewer.manages_district(room.home.district)) if signed_in else (None, False)
        built.append(_lane(room, day, (first, last), hours[room.home_id, day], own, who, now, search))
    timeline = Timeline(built, columns=int((last - first) / STEP))
    days = sorted({day for _room, day in lanes})
    today = next((d for d in days if local_day_bounds(d)[0] <= now < local_day_bounds(d)[1]), None)
    timeline.now = now if today else None
    # The searched time comes into view; else now (on the first day's clock, for a week).
    focus = (
        search[0] if search else (now - local_day_bounds(today)[0] + local_day_bounds(days[0])[0]) if today else None
    )
    timeline.hours = _hours(days[0], first, last, now if today == days[0] else None, focus)
    return timeline


def _hours(day: date, first: timedelta, last: timedelta, now: datetime, focus: datetime | None) -> list[Hour]:
    """Hour headings (the first and last may cover half an hour); the one holding `focus` is marked."""
    midnight = local_day_bounds(day)[0]
    hours, cursor = [], first
    while cursor < last:
        nxt = min(cursor + 2 * STEP - cursor % (2 * STEP), last)
        hours.append(
            Hour(midnight + cursor, int((nxt - cursor) / STEP), now_at=_at(now, midnight + cursor, midnight + nxt))
        )
        cursor = nxt
    if focus is not None and hours:
        offset = focus - midnight
        at = next((h for h in hours if offset < h.start - midnight + h.span * STEP), hours[-1])
        at.focus = True
    return hours


def _at(now: datetime | None, start: datetime, end: datetime) -> int | None:
    if now is None or not start <= now < end:
        return None
    return int((now - start) / (end - start) * 20)


def _lane(room: Room, day: date, bounds, interval, items: list[Item], who, now: datetime, search) -> Lane:
    """The lane's blocks, left to right: each column's owner is found in one pass over the items
    (bookings before closures), and a block is made only where the owner changes."""
    first = local_day_bounds(day)[0] + bounds[0]
    count = int((bounds[1] - bounds[0]) / STEP)
    owners: list[Item | None] = [None] * count
    for item in sorted(items, key=lambda i: i.kind != "booking"):
        lo = max(0, (item.starts_at - first) // STEP)
        hi = min(count, -((first - item.ends_at) // STEP))
        for column in range(lo, hi):
            if owners[column] is None:
                owners[column] = item
    blocks: list[Block] = []
    last_key = None
    for column, owner in enumerate(owners):
        start = first + column * STEP
        end = start + STEP
        key = _key(owner, start, end, interval, now)
        if key is not None and key == last_key:
            block = blocks[-1]
            block.span += 1
            if owner is None:  # closed or past: it grows with its columns
                block.end = end
            continue
        last_key = key
        block = _block(owner, key, start, end, who)
        block.column = start
        blocks.append(block)
    for block in blocks:
        block.now_at = _at(now, block.column, block.column + block.span * STEP)
    _free_links(blocks, search)
    for block in blocks:
        shown = block.shown
        block.at = _clock(shown[0])
        block.when = f"{block.at}–{_clock(shown[1])}"
        if block.book_end is not None:
            block.until = _clock(block.book_end)
    closed = "" if interval else ("holiday" if public_holiday_name(day) else "hours")
    return Lane(room, day, blocks, closed)


@lru_cache(maxsize=2048)
def _clock(value: datetime) -> str:
    """'14:30', local; the same few instants recur in every lane."""
    return f"{to_local(value):%H:%M}"


def _key(owner: Item | None, start: datetime, end: datetime, interval, now: datetime) -> tuple | None:
    """What fills the half-hour at `start`: a booking or closure, else outside hours, the past, or
    free (None: free half-hours never join)."""
    if owner is not None:
        return (owner.kind, owner.id)
    if not interval or start < interval[0] or end > interval[1]:
        return ("closed",)
    if start < now:
        return ("past",)
    return None


def _block(owner: Item | None, key, start: datetime, end: datetime, who) -> Block:
    if owner is None:
        return Block(key[0] if key else "free", start, end, key=key)
    if owner.kind == "closure":
        return Block("closure", owner.starts_at, owner.ends_at, label=owner.label, key=key)
    viewer_id, staff = who
    yours = viewer_id is not None and viewer_id == owner.user_id
    return Block(
        "booking",
        owner.starts_at,
        owner.ends_at,
        state="yours" if yours else "booked",
        pending=owner.status == "pending",
        label=owner.label if staff else "",
        booking_id=owner.id if staff or yours else None,
        key=key,
    )


def _free_links(blocks: list[Block], search) -> None:
    """Each free half-hour proposes the searched length (an hour without a search), cut at the next busy time."""
    length = search[1] - search[0] if search else DEFAULT_LENGTH
    stretch_end = None
    for block in reversed(blocks):
        if block.kind != "free":
            stretch_end = None
            continue
        stretch_end = stretch_end or block.end
        block.book_end = min(block.start + length, stretch_end)
        block.searched = bool(search) and search[0] <= block.start and block.end <= search[1]
