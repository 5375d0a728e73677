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
