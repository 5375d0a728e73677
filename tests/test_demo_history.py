"""The demo's past: finished events of every kind in both districts with check-ins, walk-ins and no-shows,
and used and missed room bookings in both homes across districts — valid, and loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from app.demo import seed_demo
from app.events.children import age_on
from app.extensions import db
from app.models import Booking, CheckIn, Event, EventSession, Home, Participant, Registration, Room, User
from app.timezones import now_utc, to_local


def _seed() -> None:
    seed_demo()
    db.session.commit()


def _snapshot() -> dict:
    counts = {
        model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (User, Event, EventSession, Registration, Participant, CheckIn, Booking)
    }
    counts["check-in times"] = sorted(db.session.scalars(db.select(CheckIn.created_at)))
    counts["booking titles"] = sorted(db.session.scalars(db.select(Booking.title)))
    return counts


def _finished() -> list[Event]:
    return list(db.session.scalars(db.select(Event).where(Event.ends_at < now_utc(), Event.takes_attendance)))


def test_seeding_twice_changes_nothing_the_second_time():
    _seed()
    first = _snapshot()
    _seed()
    assert _snapshot() == first and first["CheckIn"] > 0 and first["Booking"] > 0


def test_every_figure_of_the_statistics_has_data(login):
    _seed()
    events = _finished()
    assert {(e.kind, e.host) for e in events} >= {(k, h) for k in ("exchange", "study_tour", "youth_camp")
                                                   for h in ("liwan", "nanhai")}  # fmt: skip
    assert len({to_local(e.starts_at).strftime("%Y-%m") for e in events}) >= 2  # a trend by month
    assert "joint" in {e.host for e in events}
    assert any(e.attendance_published_at for e in events)
    registrations = db.session.scalars(db.select(Registration).where(Registration.status == "confirmed")).all()
    assert any(r.no_show for r in registrations) and not all(r.no_show for r in registrations)
    walk_ins = db.session.scalars(db.select(CheckIn.walk_in_district).where(CheckIn.registration_id.is_(None))).all()
    assert set(walk_ins) == {"liwan", "nanhai", "other"}
    sessions_per_sign_up = Counter(
        db.session.scalars(db.select(CheckIn.registration_id).where(CheckIn.registration_id.is_not(None)))
    )
    assert max(sessions_per_sign_up.values()) == 2  # someone came to both days of a camp
    hosts = {e.id: e.host for e in events}
    crossing = {(r.district, hosts[r.event_id]) for r in registrations if hosts.get(r.event_id) in ("liwan", "nanhai")}
    assert {("liwan", "nanhai"), ("nanhai", "liwan")} <= crossing
    used = db.session.execute(
        db.select(User.district, Home.district, Booking.status, Booking.checked_in_at.is_not(None))
        .join(User, Booking.user_id == User.id)
        .join(Room, Booking.room_id == Room.id)
        .join(Home, Room.home_id == Home.id)
        .where(Booking.event_session_id.is_(None), Booking.ends_at < now_utc())
    ).all()
    assert {(home, status, checked) for _t, home, status, checked in used} >= {
        (home, status, checked)
        for home in ("liwan", "nanhai")
        for status, checked in (("confirmed", True), ("no_show", False))
    }
    assert {(talent, home) for talent, home, _s, checked in used if checked} >= {
        ("liwan", "nanhai"),
        ("nanhai", "liwan"),
    }
    client = login(db.session.scalar(db.select(User).where(User.email == "admin@example.com")), "Admin12345")
    assert client.get("/statistics").status_code == 200


def test_the_past_keeps_the_rules_of_check_in():
    _seed()
    for check_in in db.session.scalars(db.select(CheckIn)):
        session = db.session.get(EventSession, check_in.session_id)
        assert session.event_id == check_in.event_id and session.ends_at < now_utc()
        if check_in.registration_id is None:
            assert check_in.walk_in_name and check_in.walk_in_district in ("liwan", "nanhai", "other")
            continue
        assert check_in.registration.status == "confirmed" and check_in.places == check_in.registration.places
        assert session.check_in_open(check_in.created_at)
    checked = set(db.session.scalars(db.select(CheckIn.registration_id)))
    for registration in db.session.scalars(db.select(Registration).join(Event).where(Event.ends_at < now_utc())):
        assert registration.no_show == (registration.id not in checked)
        if registration.for_children:
            event = registration.event
            ages = [age_on(p.birth_date, to_local(event.starts_at).date()) for p in registration.participants]
            assert len(ages) == registration.places and all(event.min_age <= a <= event.max_age for a in ages)
    bookings = db.session.scalars(db.select(Booking).where(Booking.event_session_id.is_(None))).all()
    for booking in bookings:
        assert (booking.checked_in_at is not None) == (booking.status == "confirmed")
        assert booking.checked_in_at is None or booking.check_in_open(booking.checked_in_at)
    assert max(Counter(b.user_id for b in bookings if b.status == "no_show").values()) <= 2  # nobody suspended
    _no_overlaps()


def _no_overlaps() -> None:
    """No two bookings that used or held a room overlap (PostgreSQL refuses it; SQLite is checked here)."""
    rows = db.session.execute(
        db.select(Booking.room_id, Booking.starts_at, Booking.ends_at)
        .where(Booking.status.in_(("confirmed", "no_show", "pending")))
        .order_by(Booking.room_id, Booking.starts_at)
    ).all()
    for before, after in zip(rows, rows[1:], strict=False):
        assert before.room_id != after.room_id or before.ends_at <= after.starts_at + timedelta(0)
