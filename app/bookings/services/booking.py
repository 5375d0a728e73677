"""Booking a room (once or weekly) and reading bookings, with who may see what.

Visibility: a booking is seen by its booker and by organisers of its home (admins: both homes).
Anyone else reading it gets 404. Acting on it (cancel, approve, reject, check in): a talent who
cannot see it gets 404 as well; an organiser of the other home gets 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Date, bindparam, literal, null, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.bookings.services import rules
from app.bookings.services.alternatives import REFUSALS_WITH_ALTERNATIVES, alternatives_for
from app.bookings.services.holds import (
    already_booked,
    first_holding,
    held_ahead,
    hold_room,
    lock_room,
    overlapping_holds,
)
from app.bookings.services.noshows import first_overdue, process_no_shows
from app.bookings.services.notices import notify_booked
from app.database import next_id, run_core
from app.errors.domain import Conflict, NotFound, RuleViolation, ValidationFailed
from app.extensions import db
from app.homes.holiday_calendar import note_override_read
from app.homes.opening import closed_during
from app.models import Booking, HolidayOverride, Room, User
from app.models.base import UTCDateTime
from app.models.booking import PURPOSES
from app.models.home import EQUIPMENT
from app.text import text_problem
from app.timezones import local_datetime, now_utc, to_local
from app.unit_of_work import keep_work, reading_only, savepoint


@dataclass
class BookingRequest:
    """What a booker asks for; the shape is checked by `validate_request`."""

    room_id: int
    start: datetime
    end: datetime
    title: str
    purpose: str = "other"
    attendees: int = 1
    weekly: int = 1
    free_dates_only: bool = False
    # What the booker looks for, should the room be refused: alternatives offer rooms that have it.
    equipment: list[str] = field(default_factory=list)


@dataclass
class BookingResult:
    bookings: list[Booking]
    skipped: list[dict] = field(default_factory=list)


def validate_request(req: BookingRequest) -> None:
    errors = {}
    req.title = (req.title or "").strip() if isinstance(req.title, str) else ""
    if not req.title or len(req.title) > 200:
        errors["title"] = _("Enter a title (up to 200 characters).")
    elif text_problem(req.title):
        errors["title"] = text_problem(req.title)
    if req.purpose not in PURPOSES:
        errors["purpose"] = _("Choose one of: %(list)s.", list=", ".join(PURPOSES))
    if not _is_int(req.attendees) or req.attendees < 1:
        errors["attendees"] = _("Enter the number of people (at least 1).")
    max_weeks = current_app.config["BOOKING_MAX_WEEKS"]
    if not _is_int(req.weekly) or not 1 <= req.weekly <= max_weeks:
        errors["repeat"] = _("A weekly series has 1 to %(n)s dates.", n=max_weeks)
    if not isinstance(req.equipment, list) or not all(item in EQUIPMENT for item in req.equipment):
        errors["equipment"] = _("Choose from: %(list)s.", list=", ".join(EQUIPMENT))
    if errors:
        raise ValidationFailed(errors)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def book(user: User, req: BookingRequest, now: datetime | None = None) -> BookingResult:
    """A booking as the pages and the API make it: the booker's overdue bookings become no-shows
    first (which may suspend them), kept even when the booking is then refused, and `book_room`
    follows. Whether there are overdue bookings is asked in the statement that reads the room."""
    now = now or now_utc()
    look = _first_look(user, req, now)
    if look.overdue and process_no_shows(now, user_id=user.id):
        keep_work()
        with savepoint():
            return book_room(user, req, now, look)
    return book_room(user, req, now, look)


def book_room(
    user: User, req: BookingRequest, now: datetime | None = None, look: FirstLook | None = None
) -> BookingResult:
    """Book a room once, or on `weekly` consecutive weeks (the first date included).

    Keeps: every rule of `rules` holds for every stored booking; the booker, then the room, is
    locked before quotas and overlaps are checked, so two bookings never hold one room at once
    and parallel requests of one talent never exceed a quota. A series is all-or-nothing
    (409 `conflict` listing each clashing date) unless `free_dates_only`, which books the free dates
    and reports the skipped ones. Rule violations change nothing.

    A single booking's rules that guard no race (steps, horizon, length, size, opening hours,
    holidays, closures) are checked on the room as read before the locks (`look`: `book`'s first
    read, or read here; on SQLite before the write lock is taken), so that the locks are held for
    the quota, the overlap and the insert alone.
    """
    now = now or now_utc()
    validate_request(req)
    rules.check_may_book(user, now)
    slots, skipped, inserts = [], [], ()
    if req.weekly == 1:
        with reading_only():
            look = look or _first_look(user, req, now)
            room = look.room
            if room is None or not room.active:
                raise NotFound(_("No such room."))
            home = room.home  # noqa: F841  (held, so that the room read again under the lock finds it loaded)
            with _alternatives_on_refusal(room, req, now):
                slots, skipped = _usable_slots(room, req, now, maybe_closed=look.closed)
    rules.lock_quota_holder(user)
    room = lock_room(req.room_id, touch=True)
    if not room.active:
        raise NotFound(_("No such room."))
    with _alternatives_on_refusal(room, req, now):
        if req.weekly > 1:
            slots, skipped = _usable_slots(room, req, now)
            rules.check_quota(user, slots, rules.limits_for(room), now)
            bookings = _hold_all(user, room, req, slots)
        else:
            rules.check_capacity(room, req.attendees)  # on the row as locked
            held, clash, taken_id = _held_and_clash(user, room, slots[0], now)
            rules.check_quota(user, slots, rules.limits_for(room), now, held)
            if clash:
                raise already_booked()
            if taken_id is None:
                bookings = _hold_all(user, room, req, slots, free=True)
            else:
                booking, insert = held_ahead(room, *slots[0], taken_id, **_booking_fields(user, room, req))
                bookings, inserts = [booking], (insert,)
    try:
        notify_booked(user, room, bookings, inserts)
    except IntegrityError:
        if not inserts:
            raise
        raise already_booked() from None  # the exclusion constraint refused the booking (holds.held_ahead)
    return BookingResult(bookings, skipped)


def _held_and_clash(user: User, room: Room, slot: tuple[datetime, datetime], now: datetime):
    """Under the locks, in one statement: the booker's holding bookings that the quota counts
    (`rules.HELD_SINCE`), whether a holding booking of the room overlaps the slot
    (`holds.first_holding`) and, on PostgreSQL, the new booking's id taken ahead (`holds.held_ahead`):
    ([(start, end), …], clash, id or None)."""
    values = {"user_id": user.id, "since": rules.quota_since([slot], now), "room_id": room.id}
    # Run where nothing waits to be flushed: the room's lock was its UPDATE, sent at once.
    statement = _held_and_clash_statement(db.engine.dialect.name == "postgresql")
    rows = run_core(statement, values | {"start": slot[0], "end": slot[1]}).all()
    held = [(row.starts_at, row.ends_at) for row in rows if row.starts_at is not None]
    return held, rows[0].clash is not None, rows[0].taken_id


@cache
def _held_and_clash_statement(taking_id: bool):
    """Built once for each kind: the clash (and the id taken, or NULL) as columns of one row,
    joined to the booker's holding bookings (none or many)."""
    held = rules.HELD_SINCE.subquery()
    taken = next_id(Booking.__table__) if taking_id else null()
    one_row = db.select(literal(1).label("one"), taken.label("taken_id")).subquery()
    return db.select(
        first_holding().scalar_subquery().label("clash"), held.c.starts_at, held.c.ends_at, one_row.c.taken_id
    ).select_from(one_row.outerjoin(held, true()))


@dataclass
class FirstLook:
    """What a booking reads before its locks, in one statement: the room with its home (None when
    there is no such room), whether a closure of the room or its home overlaps the requested time,
    whether the booker has overdue bookings (which `noshows.process_no_shows` settles), and the
    administrators' holiday entry for the requested day (kept for the day's opening rules)."""

    room: Room | None
    closed: bool
    overdue: bool


def _first_look(user: User, req: BookingRequest, now: datetime) -> FirstLook:
    """A talent on PostgreSQL is locked by the same statement (FOR UPDATE OF users): the lock
    `rules.lock_quota_holder` would take, which the booking then finds taken. Held a little longer,
    it stands only in this talent's own way. On SQLite the read takes no write lock."""
    with reading_only():
        locking = rules.takes_quota_lock(user)
        values = {"user_id": user.id, "room_id": req.room_id, "start": req.start, "end": req.end}
        values["closed_before"] = Booking.check_in_closed_before(now)
        values["day"] = day = to_local(req.start).date()
        room, closed, overdue, holiday = db.session.execute(_first_look_statement(locking), values).one()
        if locking:
            rules.quota_holder_locked(user)
    note_override_read(day, holiday)
    return FirstLook(room, bool(closed), overdue is not None)


@cache
def _first_look_statement(locking: bool):
    """Built once for each kind (every booking reads so): the booker's row, and the room (with its
    home) and the day's holiday entry joined to it where there are ones."""
    start, end = bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())
    statement = (
        db.select(
            Room, closed_during(Room.home_id, Room.id, start, end), first_overdue().scalar_subquery(), HolidayOverride
        )
        .select_from(User)
        .outerjoin(Room, Room.id == bindparam("room_id"))
        .outerjoin(HolidayOverride, HolidayOverride.day == bindparam("day", type_=Date()))
        .where(User.id == bindparam("user_id"))
        .options(joinedload(Room.home))
    )
    return statement.with_for_update(of=User) if locking else statement


@contextmanager
def _alternatives_on_refusal(room: Room, req: BookingRequest, now: datetime) -> Iterator[None]:
    try:
        yield
    except (Conflict, RuleViolation) as error:
        _offer_alternatives(error, room, req, now)
        raise


def _usable_slots(room: Room, req: BookingRequest, now: datetime, maybe_closed: bool = True):
    """A single booking's slot, or a series' dates and the skipped ones, after the rules that guard
    no race; `maybe_closed` False: no closure overlaps the single booking's time (already read)."""
    limits = rules.limits_for(room)
    rules.check_steps(req.start, req.end, limits)
    rules.check_when(req.start, req.end, limits, now)
    rules.check_capacity(room, req.attendees)
    if req.weekly > 1:
        return _series_slots(room, req, now)
    problem = rules.opening_problem(room, req.start, req.end, maybe_closed)
    if problem:
        raise problem
    return [(req.start, req.end)], []


def _hold_all(user: User, room: Room, req: BookingRequest, slots, free: bool = False) -> list[Booking]:
    fields = _booking_fields(user, room, req)
    return [hold_room(room, start, end, touched=True, free=free, **fields) for start, end in slots]


def _booking_fields(user: User, room: Room, req: BookingRequest) -> dict:
    status = "pending" if room.requires_approval and not user.manages_district(room.home.district) else "confirmed"
    series_id = str(uuid.uuid4()) if req.weekly > 1 else None
    return dict(
        user_id=user.id,
        title=req.title,
        purpose=req.purpose,
        attendees=req.attendees,
        status=status,
        series_id=series_id,
    )


def _offer_alternatives(error, room: Room, req: BookingRequest, now: datetime) -> None:
    """A refusal for a clash, a closure, the hours or the size carries Plan B (API.md "Alternatives"):
    for a single booking, free times of the same length; a series lists its clashing dates instead."""
    if error.code not in REFUSALS_WITH_ALTERNATIVES:
        return
    found = (
        []
        if "clashes" in error.details
        else alternatives_for(room, req.start, req.end, req.attendees, req.equipment, now)
    )
    error.alternatives = found
    error.details["alternatives"] = [a.as_json() for a in found]


def _series_slots(room: Room, req: BookingRequest, now: datetime):
    """The dates of a weekly series with the reason each unusable date cannot be booked."""
    first = to_local(req.start)
    length = req.end - req.start
    slots, clashes = [], []
    for week in range(req.weekly):
        day: date = first.date() + timedelta(weeks=week)
        start = local_datetime(day, first.time())
        end = start + length
        problem = rules.opening_problem(room, start, end)
        if problem and week == 0 and problem.code == "outside_opening_hours":
            raise problem
        if problem is None and overlapping_holds(room.id, start, end):
            problem = already_booked()
        if problem:
            clashes.append({"date": day.isoformat(), "start": start, "code": problem.code, "message": problem.message})
        else:
            slots.append((start, end))
    if clashes and (not req.free_dates_only or not slots):
        dates = ", ".join(c["date"] for c in clashes)
        raise Conflict(
            _("These dates cannot be booked: %(dates)s.", dates=dates),
            code="conflict",
            clashes=[{k: v for k, v in c.items() if k != "start"} for c in clashes],
        )
    return slots, [{k: v for k, v in c.items() if k != "start"} for c in clashes]


def actionable_booking(user: User, booking_id: int) -> Booking:
    """The booking, locked, for a change: 404 for anyone who may not see it (the other district's
    organisers included), as for reading it."""
    from app.database import lock_row

    booking = lock_row(Booking, booking_id)
    if booking is None or not booking.visible_to(user):
        raise NotFound(_("No such booking."))
    return booking
