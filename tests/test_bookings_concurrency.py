"""Fifty threads, each with its own connection, race for the same and overlapping slots."""

from __future__ import annotations

import pytest
from bookings_factories import NOW, add_booking, at, req
from racing import race
from sqlalchemy.exc import IntegrityError

from app.bookings.services import booking as services
from app.extensions import db
from app.models import Booking, Room, User

pytestmark = pytest.mark.concurrency

# Every one of these contains 10:30–11:00, so any two of them overlap.
SLOTS = [(s, e) for s in ("09:00", "09:30", "10:00", "10:30") for e in ("11:00", "11:30", "12:00")]


def test_fifty_threads_one_booking(app, room, make_user):
    users = [make_user() for _ in range(50)]
    user_ids, room_id = [u.id for u in users], room.id
    db.session.commit()

    def attempt(n: int):
        start, end = SLOTS[n % len(SLOTS)]
        user = db.session.get(User, user_ids[n])
        request = req(db.session.get(Room, room_id), f"2026-11-12 {start}", f"2026-11-12 {end}")

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


def _race_one_talent(app, make_user, slots: list[tuple[str, str]], settling: bool = False) -> list[object]:
    """One talent books every (start, end) at once, each in another room where rooms allow;
    `settling`: each request books as the booking pages and the API do (`book`: no-shows settled
    first, asked in the first read, which on PostgreSQL takes the talent's lock for the booking)."""
    talent_id = make_user().id
    room_ids = list(db.session.scalars(db.select(Room.id).order_by(Room.id)))
    db.session.commit()

    def attempt(n: int):
        user = db.session.get(User, talent_id)
        start, end = slots[n]
        request = req(db.session.get(Room, room_ids[n % len(room_ids)]), start, end, attendees=1)

        def book() -> str:
            (services.book if settling else services.book_room)(user, request, now=NOW)
            return "ok"

        return book

    return race(app, [lambda n=n: attempt(n) for n in range(len(slots))], timeout=120)


def _held_by_talent() -> list[Booking]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Booking).where(Booking.status.in_(["confirmed", "pending"]))))


@pytest.mark.parametrize("settling", [False, True], ids=["booking", "settling-then-booking"])
def test_parallel_bookings_of_one_talent_keep_the_upcoming_quota(app, homes, make_user, settling):
    # Twenty one-hour bookings of different rooms and hours: none clash, only the quota limits them.
    slots = [(f"2026-11-12 {9 + n // 9:02d}:00", f"2026-11-12 {10 + n // 9:02d}:00") for n in range(20)]
    outcomes = _race_one_talent(app, make_user, slots, settling)
    assert outcomes.count("ok") == 3 and outcomes.count("quota_exceeded") == 17, outcomes
    assert len(_held_by_talent()) == 3


@pytest.mark.parametrize("settling", [False, True], ids=["booking", "settling-then-booking"])
def test_parallel_bookings_of_one_talent_keep_the_weekly_hours(app, homes, make_user, settling):
    # Seven three-hour bookings in one week: the third would make 9 h against a limit of 8 h.
    slots = [(f"2026-11-{12 + n % 2} 10:00", f"2026-11-{12 + n % 2} 13:00") for n in range(7)]
    outcomes = _race_one_talent(app, make_user, slots, settling)
    assert outcomes.count("ok") == 2 and outcomes.count("quota_exceeded") == 5, outcomes
    held = _held_by_talent()
    assert sum((b.ends_at - b.starts_at).total_seconds() for b in held) == 6 * 3600
