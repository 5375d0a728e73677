"""API: events lifecycle, visibility, room reservations and sign-up error codes."""

from datetime import date

import pytest
from events_factories import ahead, event_body, published

from app.extensions import db
from app.models import Booking, Event, Notification, Registration


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


def test_create_publish_and_read(api_as, organiser, api):
    staff = api_as(organiser)
    created = staff.post("/api/v1/events", json=event_body())
    assert created.status_code == 201, created.get_json()
    event = created.get_json()
    assert event["status"] == "draft" and event["sessions"][0]["start"].endswith("+08:00")
    assert api.get(f"/api/v1/events/{event['id']}").status_code == 404
    assert staff.post(f"/api/v1/events/{event['id']}/publish").status_code == 200
    shown = api.get(f"/api/v1/events/{event['id']}").get_json()
    assert shown["status"] == "published" and shown["places_left"] == 20 and shown["waitlist_count"] == 0
    for key in (
        "id",
        "kind",
        "title",
        "description",
        "host",
        "start",
        "end",
        "sessions",
        "venue",
        "capacity",
        "quota",
        "places_left",
        "waitlist_count",
        "registration_opens_at",
        "registration_closes_at",
        "status",
        "theme",
        "itinerary",
        "min_age",
        "max_age",
    ):
        assert key in shown
    assert [e["id"] for e in api.get("/api/v1/events?district=liwan&kind=exchange").get_json()["items"]] == [
        event["id"]
    ]
    assert api.get("/api/v1/events?district=nanhai").get_json()["items"] == []


def test_drafts_listed_for_organisers_only(api_as, organiser, make_user):
    api_as(organiser).post("/api/v1/events", json=event_body())
    assert len(api_as(organiser).get("/api/v1/events?status=draft").get_json()["items"]) == 1
    other = make_user(role="organiser", district="nanhai")
    assert api_as(other).get("/api/v1/events?status=draft").get_json()["items"] == []
    assert api_as(make_user()).get("/api/v1/events?status=draft").get_json()["items"] == []


def test_wrong_district_and_talent_cannot_manage(api_as, organiser, make_user):
    event = api_as(organiser).post("/api/v1/events", json=event_body()).get_json()
    other = api_as(make_user(role="organiser", district="nanhai"))
    assert other.post("/api/v1/events", json=event_body(host="liwan")).status_code == 403
    assert other.patch(f"/api/v1/events/{event['id']}", json={"title": "x"}).status_code == 404
    assert api_as(make_user()).post("/api/v1/events", json=event_body()).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "party"}, "kind"),
        ({"capacity": 0}, "capacity"),
        ({"start": "soon"}, "start"),
        ({"kind": "study_tour"}, "theme"),
        ({"kind": "youth_camp"}, "min_age"),
        ({"quota": {"liwan": 5, "nanhai": 5}}, "quota"),
        ({"venue": {"nowhere": 1}}, "venue"),
        ({"end": ahead(7, 8)}, "end"),
    ],
)
def test_bad_event_is_422_and_stores_nothing(api_as, organiser, change, field):
    response = api_as(organiser).post("/api/v1/events", json=event_body(**change))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_room_venue_reserves_the_room_and_conflicts(api_as, organiser, room):
    staff = api_as(organiser)
    body = event_body(venue={"room_id": room.id}, capacity=10)
    first = staff.post("/api/v1/events", json=body)
    assert first.status_code == 201
    assert db.session.scalar(db.select(db.func.count(Booking.id)).where(Booking.status == "confirmed")) == 1
    clash = staff.post("/api/v1/events", json=body)
    assert clash.status_code == 409 and clash.get_json()["error"]["code"] == "conflict"
    event_id = first.get_json()["id"]
    moved = staff.patch(f"/api/v1/events/{event_id}", json={"start": ahead(8, 9), "end": ahead(8, 11)})
    assert moved.status_code == 200
    holds = db.session.scalars(db.select(Booking).where(Booking.status == "confirmed")).all()
    assert len(holds) == 1 and holds[0].starts_at.isoformat().startswith(ahead(8, 9)[:10])
    assert staff.post(f"/api/v1/events/{event_id}/cancel").status_code == 200
    assert db.session.scalar(db.select(db.func.count(Booking.id)).where(Booking.status == "confirmed")) == 0
    again = staff.post(f"/api/v1/events/{event_id}/cancel")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_cancelled"


def test_changing_a_published_event_raises_sequence_and_tells_registrants(api_as, organiser, make_user):
    event = published(organiser)
    talent = make_user()
    assert api_as(talent).post(f"/api/v1/events/{event.id}/registrations", json={"consent": True}).status_code == 201
    staff = api_as(organiser)
    notices = lambda: db.session.scalars(  # noqa: E731
        db.select(Notification.kind).where(Notification.user_id == talent.id)
    ).all()
    staff.patch(f"/api/v1/events/{event.id}", json={"title": "新标题"})
    assert staff.get(f"/api/v1/events/{event.id}").get_json()["sequence"] == 1  # calendars show the title
    assert "event_changed" not in notices()  # a new title is not worth an e-mail
    staff.patch(f"/api/v1/events/{event.id}", json={"title": "新标题", "capacity": 30})
    assert staff.get(f"/api/v1/events/{event.id}").get_json()["sequence"] == 1  # nothing shown changed
    staff.patch(f"/api/v1/events/{event.id}", json={"start": ahead(9, 9), "end": ahead(9, 12)})
    assert staff.get(f"/api/v1/events/{event.id}").get_json()["sequence"] == 2
    assert "event_changed" in notices()


def test_signup_codes(api_as, organiser, make_user):
    event = published(organiser, capacity=1)
    first, second = api_as(make_user()), api_as(make_user(district="nanhai"))
    made = first.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True})
    assert made.status_code == 201
    body = made.get_json()
    assert body["status"] == "confirmed" and len(body["check_in_code"]) == 8 and body["waitlist_position"] is None
    again = first.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_registered"
    no_consent = second.post(f"/api/v1/events/{event.id}/registrations", json={})
    assert no_consent.status_code == 422 and no_consent.get_json()["error"]["code"] == "consent_required"
    waiting = second.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True}).get_json()
    assert waiting["status"] == "waitlisted" and waiting["waitlist_position"] == 1
    pending = api_as(make_user(verified=False))
    refused = pending.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_verified"
    cancelled = first.post(f"/api/v1/registrations/{body['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert second.get("/api/v1/registrations").get_json()["items"][0]["status"] == "confirmed"
    twice = first.post(f"/api/v1/registrations/{body['id']}/cancel")
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_cancelled"
    assert second.post(f"/api/v1/registrations/{body['id']}/cancel").status_code == 404


def test_roster_for_organisers_only(api_as, organiser, make_user):
    event = published(organiser)
    talent = make_user()
    api_as(talent).post(f"/api/v1/events/{event.id}/registrations", json={"consent": True})
    roster = api_as(organiser).get(f"/api/v1/events/{event.id}/registrations")
    assert roster.status_code == 200 and roster.get_json()["items"][0]["user"]["id"] == talent.id
    assert api_as(talent).get(f"/api/v1/events/{event.id}/registrations").status_code == 403
    assert (
        api_as(make_user(role="organiser", district="nanhai"))
        .get(f"/api/v1/events/{event.id}/registrations")
        .status_code
        == 403
    )


def test_camp_family_and_age_rule(api_as, organiser, make_user):
    event = published(
        organiser,
        kind="youth_camp",
        title="同心逐梦·点亮未来",
        min_age=8,
        max_age=14,
        capacity=3,
        start=ahead(10, 9),
        end=ahead(12, 17),
    )
    first_day = date.fromisoformat(ahead(10)[:10])
    born_ok = first_day.replace(year=first_day.year - 10).isoformat()
    too_young = first_day.replace(year=first_day.year - 8, day=1) if first_day.day > 1 else None
    guardian = api_as(make_user())
    child = {"name": "小明", "birth_date": born_ok, "guardian_relation": "父亲", "emergency_contact": "138"}
    missing = guardian.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True})
    assert missing.status_code == 422
    young = {**child, "name": "小小", "birth_date": (first_day.replace(year=first_day.year - 7)).isoformat()}
    refused = guardian.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True, "participant": young})
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "age_out_of_range"
    del too_young
    family = guardian.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"consent": True, "participants": [child, {**child, "name": "小红"}]},
    )
    assert family.status_code == 201
    assert family.get_json()["items"][0]["places"] == 2 and family.get_json()["status"] == "confirmed"
    other = api_as(make_user())
    big = other.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"consent": True, "participants": [{**child, "name": "甲"}, {**child, "name": "乙"}]},
    )
    assert big.get_json()["status"] == "waitlisted"
    assert db.session.scalar(db.select(db.func.sum(Registration.places)).where(Registration.status == "confirmed")) == 2
