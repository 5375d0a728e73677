"""Plan B on a refused booking: alternatives for each refusal kind, none that clash, the other home
included, and a fixed number of statements whatever the number of bookings."""

from __future__ import annotations

from datetime import timedelta

from bookings_factories import add_booking, iso, workday
from sqlalchemy import event

from app.bookings.services import rules
from app.bookings.services.alternatives import alternatives_for
from app.bookings.services.holds import overlapping_holds
from app.extensions import db
from app.models import Booking, Closure, Home, Room
from app.timezones import local_datetime, now_utc, parse_datetime, parse_hhmm


def body(room, day, start="10:00", end="11:00", **extra) -> dict:
    return {
        "room_id": room.id,
        "start": iso(day, start),
        "end": iso(day, end),
        "title": "Reading group",
        "purpose": "seminar",
        "attendees": 5,
        **extra,
    }


def named(name: str) -> Room:
    return db.session.scalar(db.select(Room).where(Room.name == name))


def refused(client, payload, status, code) -> list[dict]:
    response = client.post("/api/v1/bookings", json=payload)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == code
    return error["alternatives"]


def assert_usable(alternatives: list[dict], length: timedelta, attendees: int) -> None:
    """Each is free, open, in the future, as long as asked, in a room big enough."""
    for alt in alternatives:
        assert set(alt) == {"room_id", "home", "start", "end"}
        start, end = parse_datetime(alt["start"]), parse_datetime(alt["end"])
        assert alt["start"].endswith("+08:00") and end - start == length and start > now_utc()
        room = db.session.get(Room, alt["room_id"])
        assert room.home.district == alt["home"] and room.capacity >= attendees
        assert overlapping_holds(room.id, start, end) == []
        assert rules.opening_problem(room, start, end) is None


def test_a_clash_offers_the_nearest_times_then_other_rooms(room, make_user, api_as):
    day = workday()
    add_booking(room, make_user(), local_datetime(day, parse_hhmm("10:00")), local_datetime(day, parse_hhmm("11:00")))
    alternatives = refused(api_as(make_user()), body(room, day, "10:00", "11:00"), 409, "conflict")
    assert len(alternatives) == 5
    assert_usable(alternatives, timedelta(hours=1), 5)
    same = [a for a in alternatives if a["room_id"] == room.id]
    assert [a["start"] for a in same] == [iso(day, "09:00"), iso(day, "11:00"), iso(day, "11:30")]
    assert alternatives[:3] == same  # the same room leads
    others = alternatives[3:]
    assert all(a["start"] == iso(day, "10:00") and a["home"] == "liwan" for a in others)
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 1


def test_over_capacity_offers_bigger_rooms_in_either_home(room, make_user, api_as):
    day = workday()
    alternatives = refused(api_as(make_user()), body(room, day, attendees=14), 422, "over_capacity")
    assert_usable(alternatives, timedelta(hours=1), 14)
    assert room.id not in {a["room_id"] for a in alternatives}
    assert {a["home"] for a in alternatives} == {"liwan", "nanhai"}
    homes = [a["home"] for a in alternatives]
    assert homes == sorted(homes, key=lambda h: h != "liwan")  # the asked home first


def test_equipment_asked_can_lead_to_the_other_home(room, make_user, api_as):
    day = workday()
    payload = body(room, day, attendees=14, equipment=["tea_set"])
    alternatives = refused(api_as(make_user()), payload, 422, "over_capacity")
    assert alternatives == [
        {"room_id": named("联谊活动室").id, "home": "nanhai", "start": iso(day, "10:00"), "end": iso(day, "11:00")}
    ]


def test_a_closure_offers_times_outside_it(room, homes, make_user, api_as):
    day = workday()
    closure = Closure(
        home_id=homes["liwan"].id,
        starts_at=local_datetime(day, parse_hhmm("09:00")),
        ends_at=local_datetime(day, parse_hhmm("12:00")),
        reason="Cleaning",
    )
    db.session.add(closure)
    db.session.commit()
    alternatives = refused(api_as(make_user()), body(room, day), 422, "closed")
    assert_usable(alternatives, timedelta(hours=1), 5)
    assert [a["start"] for a in alternatives if a["room_id"] == room.id][:2] == [iso(day, "12:00"), iso(day, "12:30")]
    assert {a["home"] for a in alternatives if a["room_id"] != room.id} == {"nanhai"}


def test_outside_the_hours_offers_times_inside_them(room, make_user, api_as):
    day = workday()
    alternatives = refused(api_as(make_user()), body(room, day, "20:30", "21:30"), 422, "outside_opening_hours")
    assert_usable(alternatives, timedelta(hours=1), 5)
    assert alternatives[0] == {
        "room_id": room.id,
        "home": "liwan",
        "start": iso(day, "20:00"),
        "end": iso(day, "21:00"),
    }


def test_the_next_day_is_offered_when_the_day_is_full(room, make_user, api_as):
    day = workday()
    add_booking(room, make_user(), local_datetime(day, parse_hhmm("09:00")), local_datetime(day, parse_hhmm("21:00")))
    alternatives = refused(api_as(make_user()), body(room, day, "20:00", "21:00"), 409, "conflict")
    same = [a for a in alternatives if a["room_id"] == room.id]
    assert same and all(a["start"].startswith((day + timedelta(days=1)).isoformat()) for a in same)
    assert_usable(alternatives, timedelta(hours=1), 5)


def test_none_is_an_empty_list(room, make_user, api_as):
    day = workday()
    alternatives = refused(api_as(make_user()), body(room, day, attendees=500), 422, "over_capacity")
    assert alternatives == []


def test_other_refusals_carry_none(room, make_user, api_as):
    response = api_as(make_user()).post("/api/v1/bookings", json=body(room, workday(), "10:00", "15:00"))
    assert response.status_code == 422 and "alternatives" not in response.get_json()["error"]


def count_statements():
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    return seen, listener


def test_one_statement_per_home_whatever_the_bookings(room, homes, make_user):
    day = workday()
    user = make_user()
    for home_room in db.session.scalars(db.select(Room)):
        for hour in range(9, 20, 2):
            start = local_datetime(day, parse_hhmm(f"{hour:02d}:00"))
            db.session.add(
                Booking(
                    room_id=home_room.id,
                    user_id=user.id,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    title="x",
                    status="confirmed",
                )
            )
    db.session.commit()
    db.session.expire_all()
    seen, listener = count_statements()
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        start = local_datetime(day, parse_hhmm("09:00"))
        found = alternatives_for(room, start, start + timedelta(hours=1), 5)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert found and all(a.start.hour % 2 == 0 for a in found)  # 10:00, 12:00 … local: the free hours
    homes_count = db.session.scalar(db.select(db.func.count(Home.id)))
    assert len(seen) == 1 + homes_count, seen  # the rooms with their homes, then one per home
    assert all("UNION ALL" in statement for statement in seen[1:])
