"""API input is validated by the shapes its operations declare: 422 invalid naming each field, in the
request's language; nothing changes."""

import pytest
from events_factories import event_body

from app.extensions import db
from app.models import Booking, Event


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"sessions": [{"start": "soon", "end": "2030-01-02T10:00"}]}, "sessions.0.start"),
        ({"sessions": [{"start": "2030-01-02T09:00"}]}, "sessions.0.end"),
        ({"sessions": "one"}, "sessions"),
        ({"quota": {"haizhu": 3}}, "quota"),
        ({"quota": {"liwan": "3"}}, "quota.liwan"),
        ({"capacity": "20"}, "capacity"),
        ({"capacity": True}, "capacity"),
        ({"kind": "party"}, "kind"),
        ({"venue": "hall"}, "venue"),
    ],
)
def test_event_bodies_of_the_wrong_shape_name_the_field(api_as, organiser, change, field):
    response = api_as(organiser).post("/api/v1/events", json=event_body(**change))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and field in error["fields"] and error["fields"][field]
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_a_booking_with_text_for_numbers_is_refused(api_as, make_user, room):
    body = {"room_id": str(room.id), "start": "2030-01-02T10:00", "end": "2030-01-02T11:00", "attendees": True}
    response = api_as(make_user()).post("/api/v1/bookings", json={**body, "repeat": {"weekly": "2"}})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"room_id", "attendees", "repeat"}
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


def test_problems_are_worded_in_the_request_language(api_as, make_user, room):
    body = {"room_id": room.id, "start": "2030-01-02T10:00", "end": "later", "title": "x"}
    caller = api_as(make_user())
    zh = caller.post("/api/v1/bookings", json=body)
    headers = {**caller.headers, "Accept-Language": "en"}
    en = caller.client.post("/api/v1/bookings", json=body, headers=headers)
    assert zh.get_json()["error"]["fields"] == {"end": "请使用 ISO 8601 格式的日期时间。"}
    assert en.get_json()["error"]["fields"] == {"end": "Use an ISO 8601 date and time."}


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/events?status=completed", "status"),
        ("/api/v1/events?from=tomorrow", "from"),
        ("/api/v1/rooms?min_capacity=0", "min_capacity"),
        ("/api/v1/rooms?home=haizhu", "home"),
        ("/api/v1/rooms/available?start=2030-01-02T10:00", "end"),
    ],
)
def test_query_arguments_are_validated(api, path, field):
    response = api.get(path)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_empty_query_arguments_count_as_left_out(api, homes):
    assert api.get("/api/v1/events?kind=&district=&from=").status_code == 200
    assert api.get("/api/v1/rooms?home=&min_capacity=").status_code == 200


def test_a_body_that_is_not_an_object_is_400_where_one_is_required(api_as, organiser):
    response = api_as(organiser).post("/api/v1/events", json=["title"])
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


def test_the_document_describes_what_is_validated(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    walk_in = document["components"]["schemas"]["WalkIn"]
    assert walk_in["properties"]["district"]["enum"] == ["liwan", "nanhai", "other"]
    assert set(walk_in["required"]) == {"name", "district"}
    cancel = document["paths"]["/api/v1/bookings/{booking_id}/cancel"]["post"]
    assert cancel["requestBody"]["required"] is False and "422" in cancel["responses"]
    create = document["paths"]["/api/v1/events"]["post"]
    assert create["requestBody"]["required"] is True
    assert [p["name"] for p in document["paths"]["/api/v1/events"]["get"]["parameters"]][:3] == [
        "kind",
        "district",
        "from",
    ]
