"""Booking rules, one by one, at their edges; each refusal leaves the database unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bookings_factories import NOW, add_booking, at, req
from sqlalchemy import event as sa_event

from app.bookings.services import booking as services
from app.errors.domain import Conflict, DomainError, NotPermitted
from app.extensions import db
from app.models import Booking, Closure, Notification, Room


def count() -> int:
    return db.session.scalar(db.select(db.func.count(Booking.id)))


def book(user, room, start, end, **fields):
    result = services.book_room(user, req(room, start, end, **fields), now=NOW)
    db.session.commit()
    return result.bookings


def refused(user, room, start, end, **fields) -> DomainError:
    before = count()
    with pytest.raises(DomainError) as caught:
        services.book_room(user, req(room, start, end, **fields), now=NOW)
    db.session.rollback()
    assert count() == before
    return caught.value


def test_booking_is_confirmed_stored_in_utc_and_notified(room, make_user):
    talent = make_user()
    (booking,) = book(talent, room, "2026-11-12 19:00", "2026-11-12 20:00")
    db.session.expire_all()
    stored = db.session.get(Booking, booking.id)
    assert stored.status == "confirmed"
    assert stored.starts_at == datetime(2026, 11, 12, 11, 0, tzinfo=UTC)  # 19:00 Asia/Shanghai
    assert stored.user_id == talent.id and stored.series_id is None
    assert db.session.scalar(db.select(Notification.kind).where(Notification.user_id == talent.id)) == (
        "booking_confirmed"
    )


@pytest.mark.parametrize(
    ("start", "end", "fields", "code"),
    [
        ("2026-11-09 10:00", "2026-11-09 11:00", {}, "in_the_past"),
        ("2026-11-10 07:30", "2026-11-10 08:30", {}, "in_the_past"),
        ("2026-12-11 10:00", "2026-12-11 11:00", {}, "too_far_ahead"),
        ("2026-11-12 10:00", "2026-11-12 14:30", {}, "too_long"),
        ("2026-11-12 10:00", "2026-11-12 11:00", {"attendees": 13}, "over_capacity"),
        ("2026-11-12 10:15", "2026-11-12 11:15", {}, "invalid"),
        ("2026-11-12 10:00", "2026-11-12 10:00", {}, "invalid"),
        ("2026-11-12 11:00", "2026-11-12 10:00", {}, "invalid"),
        ("2026-11-12 08:30", "2026-11-12 09:30", {}, "outside_opening_hours"),
        ("2026-11-12 20:30", "2026-11-12 21:30", {}, "outside_opening_hours"),
        ("2026-11-15 17:00", "2026-11-15 18:00", {}, "outside_opening_hours"),  # Sunday closes 17:30
        ("2026-11-12 23:30", "2026-11-13 01:00", {}, "outside_opening_hours"),
        ("2026-11-12 10:00", "2026-11-12 11:00", {"title": ""}, "invalid"),
        ("2026-11-12 10:00", "2026-11-12 11:00", {"purpose": "party"}, "invalid"),
        ("2026-11-12 10:00", "2026-11-12 11:00", {"attendees": 0}, "invalid"),
    ],
)
def test_rule_violations_change_nothing(room, make_user, start, end, fields, code):
    assert refused(make_user(), room, start, end, **fields).code == code


@pytest.mark.parametrize(
    ("start", "end", "fields"),
    [
        ("2026-12-10 20:00", "2026-12-10 21:00", {}),  # exactly 30 days ahead, the last slot of that day
        ("2026-11-12 10:00", "2026-11-12 14:00", {}),  # exactly 4 hours
        ("2026-11-12 10:00", "2026-11-12 10:30", {}),  # exactly 30 minutes
        ("2026-11-12 10:00", "2026-11-12 11:00", {"attendees": 12}),  # capacity equal
        ("2026-11-12 09:00", "2026-11-12 10:00", {}),  # opening time
        ("2026-11-12 20:00", "2026-11-12 21:00", {}),  # closing time
    ],
)
def test_edges_that_are_allowed(room, make_user, start, end, fields):
    talent = make_user()
    assert book(talent, room, start, end, **fields)[0].status == "confirmed"


def test_room_overrides_the_defaults(room, make_user):
    room.min_minutes, room.max_minutes, room.max_days_ahead = 60, 120, 7
    db.session.commit()
    talent = make_user()
    assert refused(talent, room, "2026-11-12 10:00", "2026-11-12 10:30").code == "too_short"
    assert refused(talent, room, "2026-11-12 10:00", "2026-11-12 12:30").code == "too_long"
    assert refused(talent, room, "2026-11-18 10:00", "2026-11-18 11:00").code == "too_far_ahead"
    assert book(talent, room, "2026-11-17 10:00", "2026-11-17 12:00")


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ("2026-11-12 09:00", "2026-11-12 10:00", True),  # touches the start
        ("2026-11-12 11:00", "2026-11-12 12:00", True),  # touches the end
        ("2026-11-12 10:30", "2026-11-12 11:30", False),
        ("2026-11-12 09:30", "2026-11-12 10:30", False),
        ("2026-11-12 10:00", "2026-11-12 11:00", False),
        ("2026-11-12 09:00", "2026-11-12 12:00", False),
    ],
)
def test_overlaps_conflict_and_touching_intervals_do_not(room, make_user, start, end, ok):
    add_booking(room, make_user(), at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    talent = make_user()
    if ok:
        assert book(talent, room, start, end)
    else:
        error = refused(talent, room, start, end)
        assert isinstance(error, Conflict) and error.code == "conflict"


@pytest.mark.parametrize(
    ("status", "blocks"),
    [("pending", True), ("confirmed", True), ("cancelled", False), ("rejected", False), ("no_show", False)],
)
def test_only_holding_bookings_block(room, make_user, status, blocks):
    add_booking(room, make_user(), at("2026-11-12 10:00"), at("2026-11-12 11:00"), status=status)
    if blocks:
        assert refused(make_user(), room, "2026-11-12 10:00", "2026-11-12 11:00").code == "conflict"
    else:
        assert book(make_user(), room, "2026-11-12 10:00", "2026-11-12 11:00")


def test_the_other_room_is_free(homes, room, make_user):
    other = db.session.scalar(db.select(Room).where(Room.id != room.id, Room.home_id == room.home_id))
    add_booking(room, make_user(), at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    assert book(make_user(), other, "2026-11-12 10:00", "2026-11-12 11:00", attendees=2)


def test_closures_of_the_home_and_of_the_room(room, make_user):
    db.session.add(Closure(home_id=room.home_id, starts_at=at("2026-11-12 12:00"), ends_at=at("2026-11-12 14:00")))
    db.session.add(
        Closure(home_id=room.home_id, room_id=room.id, starts_at=at("2026-11-13 09:00"), ends_at=at("2026-11-13 21:00"))
    )
    other = db.session.scalar(db.select(Room).where(Room.id != room.id, Room.home_id == room.home_id))
    db.session.add(
        Closure(
            home_id=room.home_id, room_id=other.id, starts_at=at("2026-11-16 09:00"), ends_at=at("2026-11-16 21:00")
        )
    )
    db.session.commit()
    talent = make_user()
    assert refused(talent, room, "2026-11-12 13:30", "2026-11-12 14:30").code == "closed"
    assert refused(talent, room, "2026-11-13 10:00", "2026-11-13 11:00").code == "closed"
    assert book(talent, room, "2026-11-12 14:00", "2026-11-12 15:00")
    # Another room's closure leaves this room bookable, and closes that room.
    assert book(talent, room, "2026-11-16 10:00", "2026-11-16 11:00")
    assert refused(talent, other, "2026-11-16 12:00", "2026-11-16 13:00", attendees=1).code == "closed"


def test_a_booking_asks_for_closures_in_its_rooms_statement(room, make_user):
    """Whether a closure overlaps is read with the room: a booking sends no statement of its own
    for closures unless one does (and then reads it, for its reason)."""
    from sqlalchemy import event as sa_event

    db.session.add(
        Closure(
            home_id=room.home_id, starts_at=at("2026-11-13 09:00"), ends_at=at("2026-11-13 12:00"), reason="消防检查"
        )
    )
    db.session.commit()
    talent = make_user()
    statements = []
    listen = lambda *args: statements.append(" ".join(args[2].split()))  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert book(talent, room, "2026-11-12 10:00", "2026-11-12 11:00")
        free = list(statements)
        statements.clear()
        error = refused(talent, room, "2026-11-13 10:00", "2026-11-13 11:00")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    [asked] = [s for s in free if "closures" in s]  # within the room's read
    assert asked.startswith("SELECT rooms.id") and "EXISTS" in asked
    assert error.code == "closed" and "消防检查" in error.message
    assert any(s.startswith("SELECT closures.") for s in statements)


def test_a_booking_reads_its_days_holiday_entry_with_its_room(room, make_user):
    """Administrators' entry for the booked day comes with the room's read: a holiday declared on
    an ordinary Thursday closes the home under its name, a Sunday declared a working day keeps
    Monday's hours, and the booking sends no statement of its own for holiday entries."""
    from app.homes.holiday_calendar import forget_overrides
    from app.models import HolidayOverride

    db.session.add(HolidayOverride(day=at("2026-11-12 12:00").date(), kind="holiday", name_zh="荔南人才日"))
    db.session.add(HolidayOverride(day=at("2026-11-15 12:00").date(), kind="workday"))
    db.session.commit()
    forget_overrides()
    talent = make_user()
    error = refused(talent, room, "2026-11-12 10:00", "2026-11-12 11:00")
    forget_overrides()
    statements = []
    listen = lambda *args: statements.append(" ".join(args[2].split()))  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        (booking,) = book(talent, room, "2026-11-15 19:00", "2026-11-15 20:00")  # Sunday closes 17:30
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    assert error.code == "closed" and "荔南人才日" in error.message
    assert booking.status == "confirmed"
    [asked] = [s for s in statements if "holiday_overrides" in s]  # within the room's read
    assert asked.startswith("SELECT rooms.id") and "LEFT OUTER JOIN holiday_overrides" in asked


def test_public_holiday_closed_and_make_up_day_has_monday_hours(room, make_user):
    now = at("2026-09-20 08:00")
    talent = make_user()
    with pytest.raises(DomainError) as caught:
        services.book_room(talent, req(room, "2026-10-01 10:00", "2026-10-01 11:00"), now=now)
    assert caught.value.code == "closed"
    db.session.rollback()
    # Saturday 10 October 2026 is worked for the National Day holiday: open until 21:00 like a Monday.
    services.book_room(talent, req(room, "2026-10-10 19:00", "2026-10-10 20:00"), now=now)
    db.session.commit()
    assert count() == 1


def test_quota_three_upcoming_bookings(room, make_user):
    talent = make_user()
    for day in (12, 13, 16):
        book(talent, room, f"2026-11-{day} 10:00", f"2026-11-{day} 11:00")
    assert refused(talent, room, "2026-11-17 10:00", "2026-11-17 11:00").code == "quota_exceeded"
    # An ended booking no longer counts; a cancelled one never did.
    add_booking(room, talent, at("2026-11-18 10:00"), at("2026-11-18 11:00"), status="cancelled")
    db.session.execute(db.update(Booking).where(Booking.starts_at == at("2026-11-12 10:00")).values(status="cancelled"))
    db.session.commit()
    assert book(talent, room, "2026-11-17 10:00", "2026-11-17 11:00")


def test_quota_eight_hours_per_iso_week(room, make_user):
    talent = make_user()
    # Monday of this week, already over, still counts towards the week.
    add_booking(room, talent, at("2026-11-09 10:00"), at("2026-11-09 14:00"))
    book(talent, room, "2026-11-12 10:00", "2026-11-12 13:30")
    assert refused(talent, room, "2026-11-13 10:00", "2026-11-13 11:00").code == "quota_exceeded"
    assert book(talent, room, "2026-11-13 10:00", "2026-11-13 10:30")  # exactly 8 hours


def test_week_boundary_sunday_and_monday(room, make_user):
    talent = make_user()
    book(talent, room, "2026-11-15 09:00", "2026-11-15 13:00")  # Sunday: week of 9 November
    book(talent, room, "2026-11-15 13:00", "2026-11-15 17:00")
    assert refused(talent, room, "2026-11-14 09:00", "2026-11-14 09:30").code == "quota_exceeded"
    assert book(talent, room, "2026-11-16 09:00", "2026-11-16 09:30")  # Monday: a new week


def test_organisers_are_exempt_from_the_quota(room, make_user):
    organiser = make_user(role="organiser")
    for day in (11, 12, 13, 16, 17):
        book(organiser, room, f"2026-11-{day} 09:00", f"2026-11-{day} 13:00")
    assert count() == 5


def test_only_verified_talents(room, make_user):
    error = refused(make_user(verified=False), room, "2026-11-12 10:00", "2026-11-12 11:00")
    assert isinstance(error, NotPermitted) and error.code == "not_verified"


def test_suspended_users_cannot_book(room, make_user):
    talent = make_user(booking_suspended_until=NOW + timedelta(days=1))
    error = refused(talent, room, "2026-11-12 10:00", "2026-11-12 11:00")
    assert error.status == 403 and error.code == "suspended"
    talent.booking_suspended_until = NOW - timedelta(minutes=1)
    db.session.commit()
    assert book(talent, room, "2026-11-12 10:00", "2026-11-12 11:00")


def test_room_needing_approval_takes_pending_bookings_that_hold_the_slot(homes, make_user):
    hall = db.session.scalar(db.select(Room).where(Room.requires_approval.is_(True), Room.home_id == homes["liwan"].id))
    (booking,) = book(make_user(), hall, "2026-11-12 10:00", "2026-11-12 11:00", attendees=50)
    assert booking.status == "pending"
    assert refused(make_user(), hall, "2026-11-12 10:30", "2026-11-12 11:30").code == "conflict"
    (own,) = book(make_user(role="organiser"), hall, "2026-11-13 10:00", "2026-11-13 11:00")
    assert own.status == "confirmed"  # an organiser of the home needs nobody's approval


def _locks_of_users(run) -> list[str]:
    """The statements `run()` sends that lock a user's row."""
    sent: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if "FOR UPDATE" in statement and "FROM users" in statement:
            sent.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    return sent


def test_a_bookings_first_read_takes_the_bookers_lock_for_the_booking_that_follows(room, make_user):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's write lock serialises bookings; no row is locked")
    talent = make_user()
    db.session.commit()

    def booking(hour: int, weekly: int = 1):
        request = req(room, f"2026-11-12 {hour}:00", f"2026-11-12 {hour + 1}:00", weekly=weekly)
        services.book(talent, request, now=NOW)

    # One statement reads the room, asks for overdue bookings and locks the talent; nothing else locks them.
    [locking] = _locks_of_users(lambda: booking(10))
    assert "FOR UPDATE OF users" in locking and "rooms" in locking and "bookings" in locking
    db.session.commit()
    # A series reads its room under the room's lock; its first read still takes the talent's.
    [locking] = _locks_of_users(lambda: booking(12, weekly=2))
    assert "FOR UPDATE OF users" in locking and "bookings" in locking
    db.session.rollback()
    # Noted inside a savepoint, whose rollback would release it, the lock is taken again by the booking.
    with db.session.begin_nested():
        assert len(_locks_of_users(lambda: booking(16))) == 2
    db.session.rollback()
    assert count() == 1


@pytest.mark.parametrize(("change", "code"), [({"capacity": 2}, "over_capacity"), ({"active": False}, "not_found")])
def test_a_booking_checks_the_room_as_its_lock_found_it(app, room, make_user, monkeypatch, change, code):
    """A change to the room committed between the booking's first read and its lock (an organiser
    lowering the capacity, or closing the room) is what the booking is checked against. (In a
    request, as there a booking's first read leaves SQLite's write lock free.)"""
    from app.bookings.services import rules
    from app.unit_of_work import reading_only

    talent = make_user()
    db.session.commit()
    lock_quota_holder = rules.lock_quota_holder

    def changed_meanwhile(user):
        with db.engine.begin() as other:  # another request's transaction
            other.execute(db.update(Room).where(Room.id == room.id).values(**change))
        lock_quota_holder(user)

    monkeypatch.setattr(rules, "lock_quota_holder", changed_meanwhile)
    with app.test_request_context("/api/v1/bookings", method="POST"), pytest.raises(DomainError) as caught:
        with reading_only():  # as a request finds its caller
            request = req(room, "2026-11-12 10:00", "2026-11-12 11:00", attendees=4)
            assert talent.is_verified_talent
        services.book(talent, request, now=NOW)
    assert caught.value.code == code
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


def test_a_booking_is_inserted_with_its_defaults_and_joins_the_session(room, make_user):
    """The booking's row is one INSERT of every column (past the session's flush): the defaults the
    flush would give are stored, and the request's object is the stored row, every column loaded
    (nothing reads the row again). On PostgreSQL its id is taken ahead, and the row is sent in one
    statement with its message and its calendar entries."""
    talent = make_user()
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        result = services.book_room(talent, req(room, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW)
        (booking,) = result.bookings
        assert booking.event_session_id is None and booking.checked_in_at is None
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    inserts = [n for n, sql in enumerate(statements) if "INSERT INTO bookings" in sql]
    assert len(inserts) == 1 and "sequence" in statements[inserts[0]] and "created_at" in statements[inserts[0]]
    assert not any("FROM bookings" in sql for sql in statements[inserts[0] + 1 :])
    if db.engine.dialect.name == "postgresql":
        insert = statements[inserts[0]]
        assert "INSERT INTO notifications" in insert and "INSERT INTO feed_fragments" in insert
        assert "nextval" in statements[inserts[0] - 1]
    assert booking in db.session and db.session.get(Booking, booking.id) is booking
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Booking, booking.id)
    assert (stored.sequence, stored.user_id, stored.room_id) == (0, talent.id, room.id)
    assert timedelta(0) <= stored.updated_at - stored.created_at < timedelta(seconds=1)
    assert stored.created_at.utcoffset() == timedelta(0)


def test_a_booking_the_database_refuses_is_a_conflict_and_leaves_nothing(room, make_user, monkeypatch):
    """Should the overlap check under the lock ever miss a clash, PostgreSQL's exclusion constraint
    refuses the booking's row, sent with its message and entries: the same 409 `conflict`, and
    none of them is stored."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL")
    talent = make_user()
    add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    db.session.commit()
    checked = services._held_and_clash

    def missing_the_clash(*args):
        held, clash, taken_id = checked(*args)
        assert clash and taken_id is not None
        return held, False, taken_id

    monkeypatch.setattr(services, "_held_and_clash", missing_the_clash)
    messages = db.session.scalar(db.select(db.func.count(Notification.id)))
    with pytest.raises(Conflict) as caught:
        services.book_room(talent, req(room, "2026-11-12 10:30", "2026-11-12 11:30"), now=NOW)
    assert caught.value.code == "conflict"
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == messages
