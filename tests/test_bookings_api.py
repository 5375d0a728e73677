"""The booking endpoints of API.md: statuses, error codes, who sees what, and the database effect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bookings_factories import add_booking, iso, workday

from app.extensions import db
from app.models import Booking, Room
from app.timezones import local_today, now_utc, parse_datetime


def stored() -> list[Booking]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Booking).order_by(Booking.id)))


def body(room, day, start="10:00", end="11:00", **extra) -> dict:
    return {
        "room_id": room.id,
        "start": iso(day, start),
        "end": iso(day, end),
        "title": "Robotics reading group",
        "purpose": "seminar",
        "attendees": 5,
        **extra,
    }


def test_book_read_and_list(room, make_user, api_as):
    talent = make_user()
    client = api_as(talent)
    day = workday()
    response = client.post("/api/v1/bookings", json=body(room, day, "19:00", "20:00"))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "confirmed" and data["room_id"] == room.id and data["home"] == "liwan"
    assert data["start"] == f"{day.isoformat()}T19:00:00+08:00"
    assert set(data) >= {"id", "end", "title", "purpose", "attendees", "checked_in_at", "series_id", "created_at"}
    assert "user" not in data
    (booking,) = stored()
    assert booking.starts_at == parse_datetime(iso(day, "19:00")) and booking.starts_at.hour == 11  # UTC
    assert client.get(f"/api/v1/bookings/{booking.id}").get_json()["id"] == booking.id
    assert [b["id"] for b in client.get("/api/v1/bookings").get_json()["items"]] == [booking.id]


def test_input_with_another_offset_is_accepted(room, make_user, api_as):
    day = workday()
    response = api_as(make_user()).post(
        "/api/v1/bookings",
        json=body(room, day, start="", end="") | {"start": f"{day}T02:00:00Z", "end": f"{day}T11:00"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["start"] == f"{day.isoformat()}T10:00:00+08:00"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"start": "soon"}, 422, "invalid"),
        ({"room_id": "1"}, 422, "invalid"),
        ({"room_id": 99999}, 404, "not_found"),
        ({"attendees": 500}, 422, "over_capacity"),
        ({"attendees": "many"}, 422, "invalid"),
        ({"repeat": {"weekly": 20}}, 422, "invalid"),
        ({"repeat": "weekly"}, 422, "invalid"),
        ({"title": None}, 422, "invalid"),
    ],
)
def test_bad_input_is_a_clear_error(room, make_user, api_as, change, status, code):
    response = api_as(make_user()).post("/api/v1/bookings", json=body(room, workday()) | change)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert stored() == []


def test_malformed_json_and_missing_token(room, make_user, client, api_as):
    assert client.post("/api/v1/bookings", json=body(room, workday())).status_code == 401
    caller = api_as(make_user())
    response = caller.client.post("/api/v1/bookings", data="{", content_type="application/json", headers=caller.headers)
    assert response.status_code == 400


def test_rule_codes_in_the_api(room, make_user, api_as):
    client = api_as(make_user())
    day = workday()
    far = day + timedelta(days=40)
    checks = [
        (body(room, day, "08:00", "09:00"), 422, "outside_opening_hours"),
        (body(room, day, "10:00", "15:00"), 422, "too_long"),
        (body(room, far), 422, "too_far_ahead"),
        (body(room, local_today() - timedelta(days=1)), 422, "in_the_past"),
    ]
    for payload, status, code in checks:
        response = client.post("/api/v1/bookings", json=payload)
        assert response.status_code == status, response.get_json()
        assert response.get_json()["error"]["code"] == code
    assert stored() == []


def test_conflict_and_permissions(room, make_user, api_as):
    day = workday()
    owner = api_as(make_user())
    booking_id = owner.post("/api/v1/bookings", json=body(room, day)).get_json()["id"]
    response = api_as(make_user()).post("/api/v1/bookings", json=body(room, day, "10:30", "11:30"))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "conflict"
    assert (
        api_as(make_user(verified=False)).post("/api/v1/bookings", json=body(room, day, "12:00", "13:00")).status_code
        == 403
    )
    stranger = api_as(make_user())
    assert stranger.get(f"/api/v1/bookings/{booking_id}").status_code == 404
    assert stranger.post(f"/api/v1/bookings/{booking_id}/cancel").status_code == 404
    assert stranger.get("/api/v1/bookings").get_json()["items"] == []
    nanhai = api_as(make_user(role="organiser", district="nanhai"))
    assert nanhai.get(f"/api/v1/bookings/{booking_id}").status_code == 404
    assert nanhai.post(f"/api/v1/bookings/{booking_id}/cancel", json={"reason": "x"}).status_code == 404
    assert nanhai.get("/api/v1/bookings?home=liwan").status_code == 403
    assert [b.status for b in stored()] == ["confirmed"]
    liwan = api_as(make_user(role="organiser", district="liwan"))
    seen = liwan.get(f"/api/v1/bookings/{booking_id}").get_json()
    assert seen["user"]["name"]
    assert [b["id"] for b in liwan.get("/api/v1/bookings?home=liwan").get_json()["items"]] == [booking_id]
    response = liwan.post(f"/api/v1/bookings/{booking_id}/cancel")  # the reason is optional
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    again = owner.post(f"/api/v1/bookings/{booking_id}/cancel")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_cancelled"


def test_owner_cancels(room, make_user, api_as):
    owner = api_as(make_user())
    booking_id = owner.post("/api/v1/bookings", json=body(room, workday())).get_json()["id"]
    response = owner.post(f"/api/v1/bookings/{booking_id}/cancel")
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert [b.status for b in stored()] == ["cancelled"]


def test_series_all_or_nothing_and_free_dates_only(room, make_user, api_as):
    organiser = api_as(make_user(role="organiser"))
    day = workday()
    add_booking(
        room,
        make_user(),
        parse_datetime(iso(day + timedelta(weeks=2), "10:00")),
        parse_datetime(iso(day + timedelta(weeks=2), "11:00")),
    )
    response = organiser.post("/api/v1/bookings", json=body(room, day) | {"repeat": {"weekly": 4}})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert [c["date"] for c in error["clashes"]] == [(day + timedelta(weeks=2)).isoformat()]
    assert len(stored()) == 1
    response = organiser.post(
        "/api/v1/bookings", json=body(room, day) | {"repeat": {"weekly": 4}, "free_dates_only": True}
    )
    assert response.status_code == 201
    data = response.get_json()
    assert len(data["items"]) == 3 and len({b["series_id"] for b in data["items"]}) == 1
    assert [s["date"] for s in data["skipped"]] == [(day + timedelta(weeks=2)).isoformat()]


def test_approval_flow(homes, make_user, api_as):
    hall = db.session.scalar(db.select(Room).where(Room.requires_approval.is_(True), Room.home_id == homes["liwan"].id))
    talent = api_as(make_user())
    booking = talent.post("/api/v1/bookings", json=body(hall, workday())).get_json()
    assert booking["status"] == "pending"
    assert talent.post(f"/api/v1/bookings/{booking['id']}/approve").status_code == 403
    assert (
        api_as(make_user(role="organiser", district="nanhai"))
        .post(f"/api/v1/bookings/{booking['id']}/approve")
        .status_code
        == 404
    )
    organiser = api_as(make_user(role="organiser", district="liwan"))
    response = organiser.post(f"/api/v1/bookings/{booking['id']}/approve")
    assert response.status_code == 200 and response.get_json()["status"] == "confirmed"
    response = organiser.post(f"/api/v1/bookings/{booking['id']}/reject", json={"reason": "late"})
    assert response.status_code == 409
    assert [b.status for b in stored()] == ["confirmed"]


def test_check_in_window_over_the_api(room, make_user, api_as):
    talent = make_user()
    soon = now_utc().replace(second=0, microsecond=0) + timedelta(minutes=10)
    booking = add_booking(room, talent, soon, soon + timedelta(hours=1))
    later = add_booking(room, talent, soon + timedelta(hours=3), soon + timedelta(hours=4))
    client = api_as(talent)
    response = client.post(f"/api/v1/bookings/{booking.id}/check-in")
    assert response.status_code == 200 and response.get_json()["checked_in_at"]
    again = client.post(f"/api/v1/bookings/{booking.id}/check-in")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_checked_in"
    early = client.post(f"/api/v1/bookings/{later.id}/check-in")
    assert early.status_code == 422 and early.get_json()["error"]["code"] == "outside_check_in_window"


def test_bookings_say_what_the_caller_may_do_now(room, make_user, api_as):
    talent = make_user()
    soon = now_utc().replace(second=0, microsecond=0) + timedelta(minutes=10)
    started = add_booking(room, talent, soon - timedelta(hours=1), soon)
    due = add_booking(room, talent, soon, soon + timedelta(hours=1))
    later = add_booking(room, talent, soon + timedelta(hours=3), soon + timedelta(hours=4))
    mine = {b["id"]: b for b in api_as(talent).get("/api/v1/bookings").get_json()["items"]}
    assert (mine[started.id]["can_cancel"], mine[started.id]["can_check_in"]) == (False, False)
    assert (mine[due.id]["can_cancel"], mine[due.id]["can_check_in"]) == (True, True)
    assert (mine[later.id]["can_cancel"], mine[later.id]["can_check_in"]) == (True, False)
    organiser = make_user(role="organiser", district="liwan")
    seen = api_as(organiser).get(f"/api/v1/bookings/{started.id}").get_json()
    assert seen["can_cancel"] is True  # the home's organisers cancel at any time


def test_booking_post_settles_the_callers_no_shows(room, make_user, api_as):
    talent = make_user()
    for days in (3, 2, 1):
        start = now_utc() - timedelta(days=days)
        add_booking(room, talent, start, start + timedelta(hours=1))
    client = api_as(talent)
    assert client.get("/api/v1/bookings").status_code == 200
    assert {b.status for b in stored()} == {"confirmed"}  # reading changes nothing
    response = client.post("/api/v1/bookings", json=body(room, workday()))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "suspended"
    assert {b.status for b in stored()} == {"no_show"}
    db.session.refresh(talent)
    assert talent.booking_suspended_until is not None


def test_available_rooms_and_schedule(homes, room, make_user, api):
    day = workday()
    add_booking(
        room, make_user(name="Secret Booker"), parse_datetime(iso(day, "10:00")), parse_datetime(iso(day, "11:00"))
    )
    response = api.get(
        f"/api/v1/rooms/available?start={iso(day, '10:30')}&end={iso(day, '11:30')}&home=liwan".replace("+", "%2B")
    )
    assert response.status_code == 200, response.get_json()
    ids = [r["id"] for r in response.get_json()["items"]]
    assert room.id not in ids and len(ids) == 4
    response = api.get(f"/api/v1/rooms/available?start={day}T11:00&end={day}T12:00&min_capacity=100")
    assert [r["capacity"] for r in response.get_json()["items"]] == [120]
    assert api.get(f"/api/v1/rooms/available?start={day}T11:00&end={day}T22:00&home=liwan").get_json()["items"] == []
    assert api.get("/api/v1/rooms/available?start=x&end=y").status_code == 422
    assert api.get(f"/api/v1/rooms/available?start={day}T11:00&end={day}T10:00").status_code == 422
    assert api.get(f"/api/v1/rooms/available?start={day}T10:00&end={day}T11:00&home=x").status_code == 422
    schedule = api.get(f"/api/v1/rooms/{room.id}/schedule?date={day}")
    assert schedule.status_code == 200
    data = schedule.get_json()
    assert data["busy"] == [{"start": iso(day, "10:00"), "end": iso(day, "11:00")}]
    assert data["free"] == [
        {"start": iso(day, "09:00"), "end": iso(day, "10:00")},
        {"start": iso(day, "11:00"), "end": iso(day, "21:00")},
    ]
    assert "Secret" not in schedule.get_data(as_text=True)
    assert api.get(f"/api/v1/rooms/{room.id}/schedule?date=nope").status_code == 422
    assert api.get("/api/v1/rooms/99999/schedule").status_code == 404
