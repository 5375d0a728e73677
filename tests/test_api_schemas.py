"""Every operation of the OpenAPI document answers a sample request with JSON its documented schema accepts."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from attendance_factories import make_event, register
from bookings_factories import add_booking, iso, workday
from events_factories import event_body, published, sign
from jsonschema import Draft202012Validator
from users_factories import PASSWORD

from app import create_app
from app.account.reset import make_reset_token
from app.api.openapi import INFO
from app.api.spec import build_document
from app.events import services as events
from app.extensions import db
from app.models import CheckIn, Room
from app.timezones import now_utc
from config import TestConfig

OPERATIONS = [
    (method.upper(), path)
    for path, described in build_document(create_app(TestConfig), INFO)["paths"].items()
    for method in described
]


@pytest.fixture
def world(homes, room, make_user, api, api_as):
    """A Liwan talent and organiser with their clients, a published event the talent signed up for,
    and a booking of the talent starting in ten minutes."""
    talent, organiser = make_user(), make_user("organiser", district="liwan")
    event = published(organiser)
    soon = now_utc().replace(second=0, microsecond=0) + timedelta(minutes=10)
    hall = db.session.scalar(db.select(Room).where(Room.requires_approval.is_(True), Room.home_id == room.home_id))
    return SimpleNamespace(
        talent=talent,
        organiser=organiser,
        anyone=api,
        t=api_as(talent),
        o=api_as(organiser),
        room=room,
        hall=hall,
        event=event,
        registration=sign(talent, event),
        booking=add_booking(room, talent, soon, soon + timedelta(hours=1)),
        make_user=make_user,
        api_as=api_as,
    )


def booking_body(room) -> dict:
    day = workday()
    start, end = iso(day, "10:00"), iso(day, "11:00")
    return {"room_id": room.id, "start": start, "end": end, "title": "读书会", "purpose": "seminar", "attendees": 4}


def booked(w, room) -> int:
    return w.t.post("/api/v1/bookings", json=booking_body(room)).get_json()["id"]


def series(w) -> str:
    answer = w.o.post("/api/v1/bookings", json=booking_body(w.room) | {"repeat": {"weekly": 2}})
    return answer.get_json()["items"][0]["series_id"]


def draft(w):
    made = events.create_event(w.organiser, event_body())
    db.session.commit()
    return made


def desk(w):
    """An event starting now at the organiser's desk, with the talent's confirmed sign-up."""
    event = make_event(host="liwan", start=now_utc() + timedelta(minutes=5))
    return event, register(event, w.talent, code="SHAP2345")


def checked_in(w):
    event, registration = desk(w)
    return event, w.o.post(f"/api/v1/events/{event.id}/check-ins", json={"code": registration.check_in_code})


def undo_check_in(w):
    event, made = checked_in(w)
    return w.o.delete(f"/api/v1/events/{event.id}/check-ins/{made.get_json()['id']}")


def ended(w):
    event = make_event(host="liwan", start=now_utc() - timedelta(days=2))
    came = register(event, w.talent, places=2)
    db.session.add(CheckIn(event_id=event.id, session_id=event.sessions[0].id, registration_id=came.id, places=2))
    db.session.commit()
    return event


def signed_up_user(w):
    user = {"name": "张三", "email": "zhang.san@example.com", "password": "Secret12345", "district": "liwan"}
    return user | {"credential": {"issuer": "liwan_yingcai", "number": "LW9999999"}, "consent": True}


E = "/api/v1/events/{}"
SAMPLES = {
    "POST /api/v1/auth/token": lambda w: w.anyone.post(
        "/api/v1/auth/token", json={"email": w.talent.email, "password": PASSWORD}
    ),
    "POST /api/v1/auth/logout": lambda w: w.t.post("/api/v1/auth/logout"),
    "POST /api/v1/users": lambda w: w.anyone.post("/api/v1/users", json=signed_up_user(w)),
    "GET /api/v1/me": lambda w: w.t.get("/api/v1/me"),
    "POST /api/v1/me/password": lambda w: w.t.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "NewSecret99"}
    ),
    "POST /api/v1/me/calendar-token": lambda w: w.t.post("/api/v1/me/calendar-token"),
    "POST /api/v1/auth/password-reset": lambda w: w.anyone.post(
        "/api/v1/auth/password-reset", json={"email": w.talent.email}
    ),
    "POST /api/v1/auth/password-reset/confirm": lambda w: w.anyone.post(
        "/api/v1/auth/password-reset/confirm", json={"token": make_reset_token(w.talent), "password": "NewSecret99"}
    ),
    "GET /api/v1/me/export": lambda w: w.t.get("/api/v1/me/export"),
    "DELETE /api/v1/me": lambda w: w.t.delete("/api/v1/me", json={"password": PASSWORD}),
    "GET /api/v1/homes": lambda w: w.anyone.get("/api/v1/homes"),
    "GET /api/v1/rooms": lambda w: w.anyone.get("/api/v1/rooms?home=liwan&min_capacity=2"),
    "GET /api/v1/rooms/{room_id}": lambda w: w.anyone.get(f"/api/v1/rooms/{w.room.id}"),
    "GET /api/v1/rooms/available": lambda w: w.anyone.get(
        "/api/v1/rooms/available", query_string={"start": iso(workday(), "10:00"), "end": iso(workday(), "11:00")}
    ),
    "GET /api/v1/rooms/{room_id}/schedule": lambda w: w.anyone.get(f"/api/v1/rooms/{w.room.id}/schedule"),
    "POST /api/v1/bookings": lambda w: w.t.post("/api/v1/bookings", json=booking_body(w.room)),
    "GET /api/v1/bookings": lambda w: w.o.get("/api/v1/bookings?home=liwan"),
    "GET /api/v1/bookings/{booking_id}": lambda w: w.o.get(f"/api/v1/bookings/{w.booking.id}"),
    "POST /api/v1/bookings/{booking_id}/cancel": lambda w: w.t.post(f"/api/v1/bookings/{booked(w, w.room)}/cancel"),
    "POST /api/v1/bookings/{booking_id}/approve": lambda w: w.o.post(f"/api/v1/bookings/{booked(w, w.hall)}/approve"),
    "POST /api/v1/bookings/{booking_id}/reject": lambda w: w.o.post(
        f"/api/v1/bookings/{booked(w, w.hall)}/reject", json={"reason": "维修"}
    ),
    "POST /api/v1/booking-series/{series_id}/cancel": lambda w: w.o.post(f"/api/v1/booking-series/{series(w)}/cancel"),
    "POST /api/v1/bookings/{booking_id}/check-in": lambda w: w.t.post(f"/api/v1/bookings/{w.booking.id}/check-in"),
    "GET /api/v1/events": lambda w: w.anyone.get("/api/v1/events?kind=exchange&district=liwan"),
    "GET /api/v1/events/{event_id}": lambda w: w.anyone.get(E.format(w.event.id)),
    "POST /api/v1/events": lambda w: w.o.post("/api/v1/events", json=event_body()),
    "PATCH /api/v1/events/{event_id}": lambda w: w.o.patch(E.format(w.event.id), json={"title": "荔南读书会"}),
    "POST /api/v1/events/{event_id}/publish": lambda w: w.o.post(E.format(draft(w).id) + "/publish"),
    "POST /api/v1/events/{event_id}/cancel": lambda w: w.o.post(
        E.format(w.event.id) + "/cancel", json={"reason": "台风"}
    ),
    "POST /api/v1/events/{event_id}/registrations": lambda w: w.api_as(w.make_user()).post(
        E.format(w.event.id) + "/registrations", json={"consent": True}
    ),
    "GET /api/v1/registrations": lambda w: w.t.get("/api/v1/registrations"),
    "GET /api/v1/registrations/{registration_id}": lambda w: w.o.get(f"/api/v1/registrations/{w.registration.id}"),
    "POST /api/v1/registrations/{registration_id}/cancel": lambda w: w.t.post(
        f"/api/v1/registrations/{w.registration.id}/cancel"
    ),
    "POST /api/v1/registrations/{registration_id}/promote": lambda w: w.o.post(
        f"/api/v1/registrations/{register(w.event, w.make_user(), status='waitlisted').id}/promote"
    ),
    "GET /api/v1/events/{event_id}/registrations": lambda w: w.o.get(E.format(w.event.id) + "/registrations"),
    "POST /api/v1/events/{event_id}/check-ins": lambda w: checked_in(w)[1],
    "GET /api/v1/events/{event_id}/check-ins": lambda w: w.o.get(E.format(checked_in(w)[0].id) + "/check-ins"),
    "DELETE /api/v1/events/{event_id}/check-ins/{check_in_id}": undo_check_in,
    "GET /api/v1/events/{event_id}/attendance": lambda w: w.o.get(E.format(ended(w).id) + "/attendance"),
    "POST /api/v1/events/{event_id}/attendance/publish": lambda w: w.o.post(
        E.format(ended(w).id) + "/attendance/publish"
    ),
    "GET /api/v1/openapi.json": lambda w: w.anyone.get("/api/v1/openapi.json"),
    "GET /api/v1/docs": lambda w: w.anyone.get("/api/v1/docs"),
    "GET /api/v1/docs/{asset}": lambda w: w.anyone.get("/api/v1/docs/docs.js"),
}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def _validator(schema: dict, document: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]})


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_answer_matches_its_documented_schema(method, path, world, document):
    sample = SAMPLES.get(f"{method} {path}")
    assert sample is not None, f"no sample request for {method} {path}"
    response = sample(world)
    responses = document["paths"][path][method.lower()]["responses"]
    success = min(status for status in responses if status.startswith("2"))
    assert str(response.status_code) == success, response.get_data(as_text=True)[:500]
    schema = responses[success].get("content", {}).get("application/json", {}).get("schema")
    if schema is not None:
        errors = [e.message for e in _validator(schema, document).iter_errors(response.get_json())]
        assert errors == []


def test_samples_name_only_documented_operations():
    assert set(SAMPLES) == {f"{method} {path}" for method, path in OPERATIONS}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/v1/bookings/999999", None, "404"),
        ("post", "/api/v1/bookings", {"room_id": "x"}, "422"),
        ("get", "/api/v1/me", None, "401"),
        ("get", "/api/v1/docs/nothing.js", None, "404"),
    ],
)
def test_refusals_match_the_error_schema(method, path, body, status, world, document):
    client = world.anyone if status == "401" else world.t
    response = getattr(client, method)(path, **({"json": body} if body is not None else {}))
    assert str(response.status_code) == status
    template = path.replace("999999", "{booking_id}").replace("nothing.js", "{asset}")
    schema = document["paths"][template][method]["responses"][status]["content"]["application/json"]["schema"]
    assert [e.message for e in _validator(schema, document).iter_errors(response.get_json())] == []


def test_a_refusal_with_alternatives_matches_the_error_schema(world, document):
    world.t.post("/api/v1/bookings", json=booking_body(world.room))
    response = world.o.post("/api/v1/bookings", json=booking_body(world.room))
    assert response.status_code == 409 and response.get_json()["error"]["alternatives"]
    schema = document["paths"]["/api/v1/bookings"]["post"]["responses"]["409"]["content"]["application/json"]["schema"]
    assert [e.message for e in _validator(schema, document).iter_errors(response.get_json())] == []
    alternative = document["components"]["schemas"]["Alternative"]
    assert set(alternative["required"]) == {"room_id", "home", "start", "end"}
