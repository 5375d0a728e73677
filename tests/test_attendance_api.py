"""API: check-ins, the attendance record and publishing, with their permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attendance_factories import make_event, register

from app.extensions import db
from app.models import AuditEntry, CheckIn, Event, Registration
from app.timezones import now_utc, to_local


def _count_check_ins() -> int:
    return db.session.scalar(db.select(db.func.count(CheckIn.id)))


@pytest.fixture
def desk(make_user, api_as):
    """A Liwan event with one confirmed sign-up, and the Liwan organiser's API client."""
    organiser = make_user("organiser", district="liwan")
    event = make_event(host="liwan")
    registration = register(event, make_user(), places=2, code="QR2345AB")
    return api_as(organiser), event, registration


def test_check_in_by_code(desk):
    client, event, registration = desk
    response = client.post(f"/api/v1/events/{event.id}/check-ins", json={"code": "qr23-45ab"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["registration_id"] == registration.id
    assert body["session_id"] == event.sessions[0].id
    assert body["places"] == 2 and body["walk_in"] is False
    assert _count_check_ins() == 1

    again = client.post(f"/api/v1/events/{event.id}/check-ins", json={"code": "QR2345AB"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_checked_in"
    assert _count_check_ins() == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"code": "WRONG234"}, 404, "unknown_code"),
        ({}, 422, "invalid"),
        ({"code": 12345678}, 422, "invalid"),
        ({"code": "QR2345AB", "session_id": "first"}, 422, "invalid"),
        ({"code": "QR2345AB", "session_id": 999999}, 422, "invalid"),
    ],
)
def test_check_in_refusals(desk, body, status, code):
    client, event, _registration = desk
    response = client.post(f"/api/v1/events/{event.id}/check-ins", json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert _count_check_ins() == 0


def test_malformed_json_is_400(desk):
    client, event, _registration = desk
    response = client.client.post(
        f"/api/v1/events/{event.id}/check-ins", data="{", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400


def test_waitlisted_code_is_not_confirmed(desk, make_user):
    client, event, _registration = desk
    waiting = register(event, make_user(), status="waitlisted")
    response = client.post(f"/api/v1/events/{event.id}/check-ins", json={"code": waiting.check_in_code})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_confirmed"


@pytest.mark.parametrize(
    ("role", "district", "status"),
    [("talent", "liwan", 403), ("organiser", "nanhai", 403), ("organiser", "liwan", 201), ("admin", None, 201)],
)
def test_who_may_check_in(make_user, api_as, role, district, status):
    event = make_event(host="liwan")
    registration = register(event, make_user())
    client = api_as(make_user(role, district=district))
    response = client.post(f"/api/v1/events/{event.id}/check-ins", json={"code": registration.check_in_code})
    assert response.status_code == status
    assert _count_check_ins() == (1 if status == 201 else 0)
    listed = client.get(f"/api/v1/events/{event.id}/check-ins")
    assert listed.status_code == (200 if status == 201 else 403)


@pytest.mark.parametrize("district", ["liwan", "nanhai"])
def test_organisers_of_both_districts_take_joint_events(make_user, api_as, district):
    event = make_event(host="joint")
    registration = register(event, make_user())
    client = api_as(make_user("organiser", district=district))
    response = client.post(f"/api/v1/events/{event.id}/check-ins", json={"code": registration.check_in_code})
    assert response.status_code == 201


def test_anonymous_is_401_and_drafts_are_404(make_user, api, api_as):
    draft = make_event(host="liwan", status="draft")
    assert api.post(f"/api/v1/events/{draft.id}/check-ins", json={"code": "X"}).status_code == 401
    other = api_as(make_user("organiser", district="nanhai"))
    assert other.post(f"/api/v1/events/{draft.id}/check-ins", json={"code": "X"}).status_code == 404
    assert other.post("/api/v1/events/999999/check-ins", json={"code": "X"}).status_code == 404


def test_walk_in_list_and_undo(desk):
    client, event, _registration = desk
    response = client.post(
        f"/api/v1/events/{event.id}/check-ins", json={"walk_in": {"name": "陈七", "district": "nanhai", "places": 2}}
    )
    assert response.status_code == 201
    walk_in = response.get_json()
    assert walk_in["walk_in"] is True and walk_in["names"] == ["陈七"] and walk_in["district"] == "nanhai"
    bad = client.post(f"/api/v1/events/{event.id}/check-ins", json={"walk_in": {"name": "", "district": "x"}})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"name", "district"}

    listed = client.get(f"/api/v1/events/{event.id}/check-ins").get_json()["items"]
    assert [c["id"] for c in listed] == [walk_in["id"]]
    assert client.delete(f"/api/v1/events/{event.id}/check-ins/{walk_in['id']}").status_code == 204
    assert _count_check_ins() == 0
    assert client.delete(f"/api/v1/events/{event.id}/check-ins/{walk_in['id']}").status_code == 404
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "attendance.undo")) is not None


def _past_event_with_attendance(make_user):
    organiser = make_user("organiser", district="nanhai")
    event = make_event(host="nanhai", start=now_utc() - timedelta(days=2))
    came = register(event, make_user(district="liwan"), places=2, code="CAME2345")
    register(event, make_user(district="nanhai"), code="AWAY2345")
    db.session.add(CheckIn(event_id=event.id, session_id=event.sessions[0].id, registration_id=came.id, places=2))
    db.session.commit()
    return organiser, event


def test_attendance_record_is_for_organisers_until_published(make_user, api, api_as):
    organiser, event = _past_event_with_attendance(make_user)
    url = f"/api/v1/events/{event.id}/attendance"
    record = api_as(organiser).get(url)
    assert record.status_code == 200
    body = record.get_json()
    assert (body["registered"], body["attended"], body["no_show"], body["attendance_rate"]) == (3, 2, 1, 0.667)
    assert body["by_district"]["liwan"]["attended"] == 2 and body["by_district"]["nanhai"]["no_show"] == 1
    assert body["published"] is False
    assert api.get(url).status_code == 404
    assert api_as(make_user()).get(url).status_code == 404
    assert api_as(make_user("organiser", district="liwan")).get(url).status_code == 404
    # Reading changes nothing: no-shows are marked by publishing or the close-attendance command.
    assert db.session.scalar(db.select(db.func.count()).where(Registration.no_show.is_(True))) == 0


def test_publish_then_anyone_reads_the_record_without_names(make_user, api, api_as):
    organiser, event = _past_event_with_attendance(make_user)
    assert api_as(make_user()).post(f"/api/v1/events/{event.id}/attendance/publish").status_code == 403
    response = api_as(organiser).post(f"/api/v1/events/{event.id}/attendance/publish")
    assert response.status_code == 200 and response.get_json()["published"] is True
    db.session.expire_all()
    assert db.session.get(Event, event.id).attendance_published_at is not None
    assert db.session.scalar(db.select(Registration).where(Registration.no_show.is_(True))).check_in_code == "AWAY2345"

    public = api.get(f"/api/v1/events/{event.id}/attendance")
    assert public.status_code == 200
    body = public.get_json()
    assert body["published"] is True and body["no_show"] == 1 and body["published_at"].endswith("+08:00")
    text = public.get_data(as_text=True)
    assert "User " not in text and "CAME2345" not in text


def test_publishing_waits_for_the_end(make_user, api_as):
    organiser = make_user("organiser")
    event = make_event()
    response = api_as(organiser).post(f"/api/v1/events/{event.id}/attendance/publish")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "not_ended"
    db.session.expire_all()
    assert db.session.get(Event, event.id).attendance_published_at is None


def test_the_desk_refuses_a_code_a_week_early_and_says_when_it_opens(make_user, api_as):
    organiser = make_user("organiser", district="liwan")
    event = make_event(host="liwan", start=now_utc() + timedelta(days=7))
    register(event, make_user(), code="WEEK2345")
    response = api_as(organiser).post(f"/api/v1/events/{event.id}/check-ins", json={"code": "WEEK2345"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "outside_check_in_window"
    opens = to_local(event.starts_at - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert opens in error["message"]
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0
