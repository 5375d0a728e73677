"""The one overlap filter of busy-time reads (`Booking.holding_during`) is served by the
(room_id, ends_at, starts_at) index: the scan starts at the first booking ending after the start,
so a room's past is never read."""

from __future__ import annotations

import pytest
from bookings_factories import add_booking, at
from sqlalchemy import event as sa_event

from app.bookings import queries
from app.extensions import db
from app.models import Booking


def test_the_overlap_filter_runs_on_the_end_index(room):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the query plan is checked on SQLite; PostgreSQL's is shown with 50,000 bookings in the notes")
    query = db.select(Booking.id).where(
        Booking.holding_during([room.id, room.id + 1], at("2026-11-12 00:00"), at("2026-11-13 00:00"))
    )
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " ".join(row[-1] for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_bookings_room_end (room_id=? AND ends_at>?)" in plan, plan


def test_touching_bookings_do_not_overlap(room, make_user):
    user = make_user()
    add_booking(room, user, at("2026-11-12 09:00"), at("2026-11-12 10:00"))
    inside = add_booking(room, user, at("2026-11-12 10:30"), at("2026-11-12 11:30"))
    add_booking(room, user, at("2026-11-12 12:00"), at("2026-11-12 13:00"))
    add_booking(room, user, at("2026-11-12 11:00"), at("2026-11-12 12:00"), status="cancelled")
    found = db.session.scalars(
        db.select(Booking.id).where(Booking.holding_during([room.id], at("2026-11-12 10:00"), at("2026-11-12 12:00")))
    ).all()
    assert found == [inside.id]


def test_reads_with_the_overlap_filter_are_compiled_once():
    """Each statement that uses the filter has a cache key (so SQLAlchemy compiles it once per
    process, not on every run), and the key tells apart filters on different columns."""
    from app.database import not_sought

    def key(column):
        return db.select(Booking.id).where(not_sought(column) < at("2026-11-13 00:00"))._generate_cache_key()

    filtered = db.select(Booking.id).where(
        Booking.holding_during([1, 2], at("2026-11-12 00:00"), at("2026-11-13 00:00"))
    )
    assert filtered._generate_cache_key() is not None
    assert key(Booking.starts_at) is not None
    assert key(Booking.starts_at) == key(Booking.starts_at)
    assert key(Booking.starts_at) != key(Booking.ends_at)


@pytest.mark.parametrize("read", [queries.home_bookings, queries.home_schedule], ids=["objects", "listed rows"])
def test_a_homes_schedule_reads_its_bookings_from_the_day_on(room, make_user, read):
    """The schedule's read of a home's bookings (all statuses) seeks each room's first booking ending
    after the day's start, not the room's whole past, whichever of the two room indexes SQLite saw
    first (without statistics it breaks the tie by their order)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the query plan is checked on SQLite")
    organiser = make_user(role="organiser", district=room.home.district)
    db.session.commit()
    for last in ("ix_bookings_room_time", "ix_bookings_room_end"):
        _create_again(last)
        plan = _plan_of_home_bookings(organiser, room.home, read)
        assert "ix_bookings_room_end (room_id=? AND ends_at>?)" in plan, (last, plan)


def _create_again(index: str) -> None:
    connection = db.session.connection()
    [definition] = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).scalars()
    connection.exec_driver_sql(f"DROP INDEX {index}")
    connection.exec_driver_sql(definition)
    db.session.commit()


def _plan_of_home_bookings(organiser, home, read) -> str:
    sent = []

    def note(_conn, _cursor, statement, parameters, *_args):
        if "FROM bookings" in statement and "ORDER BY bookings.starts_at, bookings.room_id" in statement:
            sent.append((statement, parameters))

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        read(organiser, home, at("2026-11-12 00:00"), at("2026-11-13 00:00"))
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    [(statement, parameters)] = sent
    cursor = db.session.connection().connection.driver_connection.cursor()
    plan = " ".join(row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))
    db.session.rollback()
    return plan
