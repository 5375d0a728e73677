"""Inputs found by fuzzing: each gets a clear 4xx, never a 500."""

import pytest
from events_factories import event_body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/registrations/16054897264549032886272",
        "/api/v1/events/99999999999999999999/attendance",
        "/api/v1/rooms/99999999999",
    ],
)
def test_ids_beyond_the_integer_range_are_404(api, make_user, path):
    api.login(make_user())
    response = api.get(path)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_patch_with_huge_id_is_404_not_405(api, make_user):
    api.login(make_user(role="organiser"))
    assert api.patch("/api/v1/events/99999999999", json={"title": "x"}).status_code == 404


@pytest.mark.parametrize("query", ["date=0737-09-15", "date=2101-01-01", "date=yesterday"])
def test_schedule_dates_outside_supported_years_are_422(api, room, query):
    response = api.get(f"/api/v1/rooms/{room.id}/schedule?{query}")
    assert response.status_code == 422 and "date" in response.get_json()["error"]["fields"]


def test_event_times_outside_supported_years_are_422(api, make_user):
    api.login(make_user(role="organiser"))
    response = api.post(
        "/api/v1/events",
        json={
            "kind": "exchange",
            "title": "x",
            "host": "liwan",
            "capacity": 5,
            "start": "0001-01-01T09:00",
            "end": "0001-01-01T10:00",
            "venue": {"address": "a"},
        },
    )
    assert response.status_code == 422 and "start" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("room_id", [2**31, 10**30, -(2**40)])
def test_integers_beyond_the_database_range_are_422(api, make_user, room_id):
    api.login(make_user())
    response = api.post("/api/v1/bookings", json={"room_id": room_id, "start": "2030-01-02T10:00"})
    assert response.status_code == 422 and "room_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/rooms?min_capacity=",
        "/api/v1/rooms/available?start=2030-01-02T10:00&end=2030-01-02T11:00&min_capacity=",
    ],
)
def test_huge_query_integers_are_422(api, path):
    response = api.get(path + str(2**31))
    assert response.status_code == 422 and response.get_json()["error"]["fields"] == {"min_capacity": "数值过大。"}


def test_nul_characters_are_refused_and_nothing_is_stored(api, make_user, room):
    from app.extensions import db
    from app.models import Booking

    api.login(make_user())
    body = {"room_id": room.id, "start": "2030-01-02T10:00", "end": "2030-01-02T11:00", "title": "a\u0000b"}
    response = api.post("/api/v1/bookings", json=body)
    assert response.status_code == 422 and list(response.get_json()["error"]["fields"]) == ["title"]
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0
    assert api.post("/api/v1/auth/password-reset", json={"email": "x\u0000@example.com"}).status_code == 422
    response = api.get("/api/v1/events?kind=a%00b")
    assert response.status_code == 422 and list(response.get_json()["error"]["fields"]) == ["kind"]


def test_nul_in_a_page_form_is_400(client):
    assert client.post("/login", data={"email": "a\x00@example.com", "password": "x"}).status_code == 400


def test_json_nested_too_deeply_is_400(api):
    response = api.client.post(
        "/api/v1/auth/token", data="[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


def test_event_in_a_room_that_does_not_exist_is_422(api, make_user):
    api.login(make_user(role="organiser"))
    body = {"kind": "exchange", "title": "x", "host": "liwan", "capacity": 5, "venue": {"room_id": 999999}}
    response = api.post("/api/v1/events", json={**body, "start": "2030-01-02T09:00", "end": "2030-01-02T10:00"})
    assert response.status_code == 422 and "venue.room_id" in response.get_json()["error"]["fields"]


LONE = "\ud800"  # sent as the JSON escape \ud800: Python reads it, no database or encoder can hold it
SURROGATE_BODIES = [
    ("POST", "/api/v1/auth/token", lambda w: {"email": w["admin"].email, "password": LONE}),
    ("POST", "/api/v1/users", lambda w: {**w["signup"], "name": LONE}),
    ("POST", "/api/v1/me/calendar-token", lambda w: {"note": LONE}),
    ("POST", "/api/v1/auth/password-reset", lambda w: {"email": LONE}),
    ("POST", "/api/v1/auth/password-reset/confirm", lambda w: {"token": LONE, "password": LONE}),
    ("DELETE", "/api/v1/me", lambda w: {"password": LONE}),
    ("POST", "/api/v1/bookings", lambda w: {**w["booking_body"], "title": LONE}),
    ("POST", "/api/v1/bookings/{booking}/cancel", lambda w: {"reason": LONE}),
    ("POST", "/api/v1/bookings/{booking}/approve", lambda w: {"reason": LONE}),
    ("POST", "/api/v1/bookings/{booking}/reject", lambda w: {"reason": LONE}),
    ("POST", "/api/v1/bookings/{booking}/check-in", lambda w: {"note": LONE}),
    ("POST", "/api/v1/booking-series/{series}/cancel", lambda w: {"reason": LONE}),
    ("POST", "/api/v1/events", lambda w: event_body(title=LONE)),
    ("PATCH", "/api/v1/events/{event}", lambda w: {"title": LONE}),
    ("POST", "/api/v1/events/{draft}/publish", lambda w: {"note": LONE}),
    ("POST", "/api/v1/events/{event}/cancel", lambda w: {"reason": LONE}),
    ("POST", "/api/v1/events/{event}/registrations", lambda w: {"consent": True, "note": LONE}),
    ("POST", "/api/v1/registrations/{registration}/cancel", lambda w: {"reason": LONE}),
    ("POST", "/api/v1/registrations/{registration}/promote", lambda w: {"note": LONE}),
    ("POST", "/api/v1/events/{event}/check-ins", lambda w: {"walk_in": {"name": LONE, "district": "liwan"}}),
    ("DELETE", "/api/v1/events/{event}/check-ins/{check_in}", lambda w: {"note": LONE}),
    ("POST", "/api/v1/events/{event}/attendance/publish", lambda w: {"note": LONE}),
    ("POST", "/api/v1/me/password", lambda w: {"current_password": LONE, "new_password": "Passw0rd456"}),
    ("POST", "/api/v1/auth/logout", lambda w: {"note": LONE}),
]


@pytest.fixture
def world(make_user, room):
    """An admin's token, and one of each object the JSON endpoints act on."""
    from datetime import timedelta

    from events_factories import ahead, published, sign

    from app.attendance.services import add_walk_in
    from app.events.services import create_event
    from app.extensions import db
    from app.models import Booking
    from app.timezones import iso_local, parse_datetime

    admin, talent = make_user(role="admin", district="liwan"), make_user()
    event = published(admin, venue={"room_id": room.id}, capacity=5)
    registration = sign(talent, event)
    start = parse_datetime(ahead(3, 10))
    booking = Booking(room_id=room.id, user_id=talent.id, starts_at=start, ends_at=start + timedelta(hours=1))
    booking.title, booking.status = "读书会", "pending"
    db.session.add(booking)
    check_in = add_walk_in(event, admin, "王五", "liwan", now=event.starts_at)
    draft = create_event(admin, event_body(title="草稿"))
    db.session.commit()
    body = {"room_id": room.id, "start": iso_local(start + timedelta(days=1)), "purpose": "seminar"}
    body["end"] = iso_local(start + timedelta(days=1, hours=1))
    signup = {"email": "new@example.com", "password": "Passw0rd123", "district": "liwan", "consent": True}
    signup["credential"] = {"issuer": "liwan_yingcai", "number": "LW9999"}
    ids = {"event": event.id, "draft": draft.id, "registration": registration.id}
    ids.update(booking=booking.id, check_in=check_in.id, series="a-series")
    return {"admin": admin, "ids": ids, "booking_body": body, "signup": signup}


@pytest.mark.parametrize("method, path, body", SURROGATE_BODIES, ids=[f"{m} {p}" for m, p, _b in SURROGATE_BODIES])
def test_a_lone_surrogate_in_json_is_400_on_every_endpoint(api, world, method, path, body):
    import json

    api.login(world["admin"])
    raw = json.dumps(body(world))  # ensure_ascii writes the lone surrogate as the escape \ud800
    assert "\\ud800" in raw
    response = api.client.open(
        path.format(**world["ids"]), method=method, data=raw, content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "bad_request"


def test_the_surrogate_fuzz_covers_every_json_endpoint(app):
    listed = {(m, p.replace("{", "<int:").replace("}", "_id>")) for m, p, _b in SURROGATE_BODIES}
    listed = {
        (m, p.replace("<int:draft_id>", "<int:event_id>").replace("<int:series_id>", "<series_id>")) for m, p in listed
    }
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods & {"POST", "PATCH", "PUT", "DELETE"}
    }
    assert routes == listed


def test_a_lone_surrogate_in_a_key_is_400(api):
    response = api.client.post("/api/v1/auth/token", data='{"\\udfff": 1}', content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("query", [b"kind=%FF", b"kind=\xff", b"kind=%ED%A0%80"])
def test_query_strings_that_are_not_utf8_are_400(client, api, query):
    raw = {"QUERY_STRING": query.decode("latin-1")}  # as a WSGI server passes the bytes on
    assert client.get("/events", environ_overrides=raw).status_code == 400
    response = api.get("/api/v1/events", environ_overrides=raw)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("body", [b"email=%FF%FE&password=x", b"email=\xff&password=x"])
def test_forms_that_are_not_utf8_are_400(client, body):
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/homes/liwan/schedule?date=9999-12-31",
        "/homes/liwan/schedule?date=0001-01-01&view=week",
        "/statistics?endpoint=x",
        "/bookings/find?endpoint=x&date=2026-12-01",
    ],
)
def test_odd_query_arguments_on_staff_pages_are_not_500(client, login, make_user, homes, path):
    login(make_user(role="organiser", district="liwan"))
    assert client.get(path).status_code == 200
