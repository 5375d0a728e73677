"""Fifty threads, each with its own connection, race for the same and overlapping slots."""

from __future__ import annotations

import pytest
from bookings_factories import NOW, add_booking, at, req
from racing import race
from sqlalchemy.exc import IntegrityError

from app.bookings import services
from app.extensions import db
from app.models import Booking

pytestmark = pytest.mark.concurrency

# Every one of these contains 10:30–11:00, so any two of them overlap.
SLOTS = [(s, e) for s in ("09:00", "09:30", "10:00", "10:30") for e in ("11:00", "11:30", "12:00")]


def test_fifty_threads_one_booking(app, room, make_user):
    users = [make_user() for _ in range(50)]
    user_ids, room_id = [u.id for u in users], room.id
    db.session.commit()

    def attempt(n: int):
        start, end = SLOTS[n % len(SLOTS)]
        user = db.session.get(services.User, user_ids[n])
        request = req(db.session.get(services.Room, room_id), f"2026-11-12 {start}", f"2026-11-12 {end}")

        def book() -> str:
            services.book_room(user, request, now=NOW)
            return "ok"

        return book

    outcomes = race(app, [lambda n=n: attempt(n) for n in range(50)], timeout=120)
    assert sorted(set(outcomes)) == ["conflict", "ok"]
    assert outcomes.count("ok") == 1 and outcomes.count("conflict") == 49
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 1


def test_postgresql_refuses_an_overlap_even_without_the_lock(room, make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL")
    talent = make_user()
    add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    with pytest.raises(IntegrityError):
        add_booking(room, talent, at("2026-11-12 10:30"), at("2026-11-12 11:30"))
    db.session.rollback()
    add_booking(room, talent, at("2026-11-12 11:00"), at("2026-11-12 12:00"))  # touching is fine
    add_booking(room, talent, at("2026-11-12 10:30"), at("2026-11-12 11:30"), status="cancelled")
