"""API: who sees what of a sign-up (codes, children), statuses and error codes of the event endpoints."""

from datetime import date, timedelta

import pytest
from events_factories import ahead, event_body, published

from app.events import services
from app.extensions import db
from app.models import Event, Notification, Registration


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


def child(name: str) -> dict:
    first_day = date.fromisoformat(ahead(7)[:10])
    born = first_day - timedelta(days=365 * 10 + 30)
    return {"name": name, "birth_date": born.isoformat(), "guardian_relation": "父亲", "emergency_contact": "138"}


def test_childrens_details_reach_only_the_guardian_and_the_organisers(api_as, organiser, make_user):
    event = published(organiser, kind="youth_camp", min_age=6, max_age=15, capacity=5)
    guardian = api_as(make_user())
    sign_up = {"consent": True, "participant": child("小明")}
    made = guardian.post(f"/api/v1/events/{event.id}/registrations", json=sign_up)
    assert made.status_code == 201
    body = made.get_json()
    assert body["participants"][0]["name"] == "小明" and body["check_in_code"]
    path = f"/api/v1/registrations/{body['id']}"
    assert guardian.get(path).get_json()["participants"][0]["emergency_contact"] == "138"
    assert api_as(organiser).get(path).get_json()["participants"][0]["name"] == "小明"
    roster = api_as(organiser).get(f"/api/v1/events/{event.id}/registrations").get_json()["items"]
    assert roster[0]["participants"][0]["birth_date"] == child("小明")["birth_date"]
    assert api_as(make_user()).get(path).status_code == 404
    assert api_as(make_user(role="organiser", district="nanhai")).get(path).status_code == 404


def test_waiting_entries_have_no_code_and_a_position(api_as, organiser, make_user):
    event = published(organiser, capacity=1)
    api_as(make_user()).post(f"/api/v1/events/{event.id}/registrations", json={"consent": True})
    waiting = api_as(make_user())
    body = waiting.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True}).get_json()
    assert (body["status"], body["waitlist_position"], body["check_in_code"]) == ("waitlisted", 1, None)
    assert waiting.get("/api/v1/registrations").get_json()["items"][0]["waitlist_position"] == 1
    shown = waiting.get(f"/api/v1/events/{event.id}").get_json()
    assert (shown["places_left"], shown["waitlist_count"]) == (0, 1)


def test_sign_up_errors(api, api_as, organiser, make_user):
    event = published(organiser)
    talent = api_as(make_user())
    path = f"/api/v1/events/{event.id}/registrations"
    assert api.post(path, json={"consent": True}).status_code == 401
    malformed = talent.client.post(path, data="{", content_type="application/json", headers=talent.headers)
    assert malformed.status_code == 400
    draft = services.create_event(organiser, event_body())
    db.session.commit()
    assert talent.post(f"/api/v1/events/{draft.id}/registrations", json={"consent": True}).status_code == 404
    assert talent.post("/api/v1/events/999999/registrations", json={"consent": True}).status_code == 404
    event.registration_opens_at = event.published_at - timedelta(hours=2)
    event.registration_closes_at = event.published_at - timedelta(seconds=1)
    db.session.commit()
    closed = talent.post(path, json={"consent": True})
    assert closed.status_code == 422 and closed.get_json()["error"]["code"] == "registration_closed"
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_camp_sign_up_without_a_child_names_the_fields(api_as, organiser, make_user):
    event = published(organiser, kind="youth_camp", min_age=6, max_age=15, capacity=5)
    response = api_as(make_user()).post(
        f"/api/v1/events/{event.id}/registrations",
        json={"consent": True, "participant": {"name": "小明", "birth_date": "not a date"}},
    )
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"participant.birth_date", "participant.guardian_relation", "participant.emergency_contact"} <= set(fields)


def test_organiser_cancels_and_promotes_by_hand(api_as, organiser, make_user):
    event = published(organiser, capacity=1)
    holder, first, second = (api_as(make_user()) for _ in range(3))
    path = f"/api/v1/events/{event.id}/registrations"
    held = holder.post(path, json={"consent": True}).get_json()
    first.post(path, json={"consent": True})
    late = second.post(path, json={"consent": True}).get_json()
    staff = api_as(organiser)
    assert staff.post(f"/api/v1/registrations/{late['id']}/promote").status_code == 422
    other = api_as(make_user(role="organiser", district="nanhai"))
    assert other.post(f"/api/v1/registrations/{held['id']}/cancel").status_code == 404
    assert staff.post(f"/api/v1/registrations/{held['id']}/cancel").get_json()["status"] == "cancelled"
    statuses = [r["status"] for r in staff.get(f"/api/v1/events/{event.id}/registrations").get_json()["items"]]
    assert sorted(statuses) == ["cancelled", "confirmed", "waitlisted"]
    kinds = db.session.scalars(db.select(Notification.kind)).all()
    assert "registration_promoted" in kinds and "registration_cancelled" in kinds


def test_joint_events_are_managed_by_both_districts(api_as, organiser, make_user):
    created = api_as(organiser).post("/api/v1/events", json=event_body(host="joint"))
    assert created.status_code == 201
    nanhai = api_as(make_user(role="organiser", district="nanhai"))
    event_id = created.get_json()["id"]
    assert nanhai.patch(f"/api/v1/events/{event_id}", json={"title": "联合活动"}).status_code == 200
    assert nanhai.post(f"/api/v1/events/{event_id}/publish").status_code == 200
    again = nanhai.post(f"/api/v1/events/{event_id}/publish")
    assert again.status_code == 409
    assert api_as(organiser).post(f"/api/v1/events/{event_id}/cancel").status_code == 200
    patched = nanhai.patch(f"/api/v1/events/{event_id}", json={"title": "x"})
    assert patched.status_code == 409 and patched.get_json()["error"]["code"] == "already_cancelled"
    assert db.session.get(Event, event_id).title == "联合活动"


def test_list_filters_and_bad_filters(api, organiser):
    soon = published(organiser, start=ahead(3, 9), end=ahead(3, 12))
    later = published(organiser, start=ahead(20, 9), end=ahead(20, 12), kind="study_tour", theme="industry")
    ids = lambda query: [e["id"] for e in api.get(f"/api/v1/events?{query}").get_json()["items"]]  # noqa: E731
    assert ids("") == [soon.id, later.id]
    assert ids(f"to={ahead(10)[:10]}") == [soon.id]
    assert ids(f"from={ahead(10)[:10]}") == [later.id]
    assert ids("kind=study_tour") == [later.id]
    for query in ("kind=party", "district=guangzhou", "from=yesterday"):
        response = api.get(f"/api/v1/events?{query}")
        assert response.status_code == 422 and response.get_json()["error"]["fields"]


@pytest.mark.parametrize("family", [False, True])
def test_a_sign_up_commits_before_its_answer_is_shaped(api_as, organiser, make_user, monkeypatch, family):
    """The event's lock, on which the next sign-ups queue, is released by the commit before the
    answer is shaped; the answer is shaped from the rows as loaded, with nothing read again."""
    from sqlalchemy import event as sa_event

    from app.api import registrations as api_registrations

    event = (
        published(organiser, kind="youth_camp", min_age=6, max_age=15, capacity=1)
        if family
        else published(organiser, capacity=1)
    )
    api_as(make_user()).post(
        f"/api/v1/events/{event.id}/registrations",
        json={"consent": True, **({"participant": child("小红")} if family else {})},
    )
    sent, shaping = [], []
    real_of = api_registrations.Registration.of

    def shaped(*args, **kwargs):
        shaping.append((db.session().in_transaction(), len(sent)))
        return real_of(*args, **kwargs)

    monkeypatch.setattr(api_registrations.Registration, "of", shaped)
    listen = lambda *args: sent.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        body = {"consent": True, **({"participants": [child("小明"), child("小亮")]} if family else {})}
        answer = api_as(make_user()).post(f"/api/v1/events/{event.id}/registrations", json=body)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    assert answer.status_code == 201
    shown = answer.get_json()
    assert (shown["status"], shown["waitlist_position"], shown["places"]) == ("waitlisted", 1, 2 if family else 1)
    ((in_transaction, statements_before),) = shaping
    assert not in_transaction and statements_before == len(sent)  # committed, and nothing read after
    stored = db.session.get(Registration, shown["id"])
    assert (stored.status, stored.places) == ("waitlisted", 2 if family else 1)
