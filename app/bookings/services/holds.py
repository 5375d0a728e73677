"""The one way a room gets held: lock the room row, check for overlaps, insert.

Bookings and event reservations both go through `hold_room`, so one rule keeps a room from
being held twice at once, on every database and with any number of server processes.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.database import insert_new, lock_row, run_core, taken_ahead
from app.errors.domain import Conflict, NotFound
from app.extensions import db
from app.feeds.fragments import note_new_booking
from app.models import Booking, Room
from app.models.base import UTCDateTime


def lock_room(room_id: int, touch: bool = False) -> Room:
    """Take the room's lock for the rest of the transaction (FOR UPDATE; SQLite: the write lock).

    With `touch`, for a caller about to hold the room, the lock is taken by the UPDATE that raises
    the room's version (`touch_room`), returning the fresh row: one statement instead of two. The
    holds then pass `touched=True`; should the caller be refused, its rollback undoes the change."""
    room = lock_row(Room, room_id) if not touch else _touched(room_id)
    if room is None:
        raise NotFound(_("No such room."))
    return room


def _touched(room_id: int) -> Room | None:
    """The room as its UPDATE returned it. The UPDATE runs on the connection and its row is given
    to the request's room (read before the lock, so found without a statement) as loaded values,
    as `populate_existing` would: half the cost of an ORM UPDATE returning the entity."""
    # Run where nothing waits to be flushed: a booking locks its room before it adds anything.
    row = run_core(_TOUCH_ROOM, {"room_id": room_id}).one_or_none()
    if row is None:
        return None
    room = db.session.get(Room, room_id)
    if room.home_id != row.home_id:
        db.session.expire(room, ["home"])
    for attribute, column in _ROOM_COLUMNS:
        set_committed_value(room, attribute, row._mapping[column])
    return room


# Built once: every booking takes its room's lock so.
_TOUCH_ROOM = (
    db.update(Room.__table__)
    .where(Room.__table__.c.id == bindparam("room_id"))
    .values(version=db.func.coalesce(Room.__table__.c.version, 0) + 1)
    .returning(*Room.__table__.c)
)
_ROOM_COLUMNS = [(attribute.key, attribute.columns[0]) for attribute in Room.__mapper__.column_attrs]


def overlapping_holds(room_id: int, start: datetime, end: datetime, exclude_ids=()) -> list[Booking]:
    """Holding bookings of the room that overlap [start, end); touching intervals do not overlap."""
    query = db.select(Booking).where(Booking.holding_during([room_id], start, end))
    if exclude_ids:
        query = query.where(Booking.id.not_in(list(exclude_ids)))
    # Sorted here, not by the database, so that the overlap index serves the read.
    return sorted(db.session.scalars(query), key=lambda booking: (booking.starts_at, booking.id))


def is_held(room_id: int, start: datetime, end: datetime) -> bool:
    """Does any holding booking of the room overlap [start, end)? (`overlapping_holds`, as one id.)"""
    return db.session.scalar(first_holding(), {"room_id": room_id, "start": start, "end": end}) is not None


def already_booked() -> Conflict:
    return Conflict(_("The room is already booked at that time."), code="conflict")


@cache
def first_holding():
    """The statement of `is_held` (parameters room_id, start and end), built once, on the one
    overlap filter."""
    return (
        db.select(Booking.id)
        .where(
            Booking.holding_during(
                [bindparam("room_id")],
                bindparam("start", type_=UTCDateTime()),
                bindparam("end", type_=UTCDateTime()),
            )
        )
        .limit(1)
    )


def hold_room(
    room: Room, start: datetime, end: datetime, touched: bool = False, free: bool = False, **fields
) -> Booking:
    """Insert a booking holding [start, end) of a room already locked with `lock_room` (`touched`:
    locked with `touch=True`, its version already raised; `free`: the caller has read `is_held`
    under that lock, within a statement of its own, and found the time free).

    Raises Conflict("conflict") when any holding booking overlaps; the database's exclusion
    constraint (PostgreSQL) refuses the row even if this check were ever bypassed, and that refusal
    is the same Conflict (the transaction is then lost, and the request answers it by rolling back).
    """
    if not free and is_held(room.id, start, end):
        raise already_booked()
    booking = Booking(room_id=room.id, starts_at=start, ends_at=end, **fields)
    try:
        insert_new(booking)
    except IntegrityError:
        raise already_booked() from None
    note_new_booking(booking)
    if not touched:
        touch_room(room)
    return booking


def held_ahead(room: Room, start: datetime, end: datetime, taken_id: int, **fields) -> tuple[Booking, tuple]:
    """`hold_room(touched=True, free=True)` for a booking whose id was taken ahead from the
    sequence (`database.next_id`), in the statement that found the time free: the booking, given to
    the session, and its INSERT, not yet sent. The caller sends it with the rows that refer to it
    (`notices.notify_booked`: one round trip fewer), and answers the database's refusal
    (IntegrityError, the exclusion constraint) with `already_booked`, as `hold_room` does."""
    booking = Booking(id=taken_id, room_id=room.id, starts_at=start, ends_at=end, **fields)
    insert = taken_ahead(booking)
    note_new_booking(booking)
    return booking, insert


def touch_room(room: Room) -> None:
    """Mark the room's schedule as changed (feeds and caches key on its version)."""
    room.version = (room.version or 0) + 1
