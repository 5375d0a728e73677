"""Inputs found by fuzzing: each gets a clear 4xx, never a 500."""

import pytest


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
