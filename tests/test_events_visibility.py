"""Events never published stay out of public sight: drafts, and drafts discarded by cancelling them."""

import json
from datetime import timedelta

import pytest
from events_factories import ahead, event_body, published, sign
from icalendar import Calendar

from app.events import services
from app.extensions import db
from app.models import Booking, Event
from app.timezones import local_today, parse_datetime, to_local

TITLE = "内部草稿活动"
DESCRIPTION = "仅供筹备组参考的说明"


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


def _draft(organiser, **fields) -> Event:
    draft = services.create_event(organiser, event_body(title=TITLE, description=DESCRIPTION, **fields))
    db.session.commit()
    return draft


def _summaries(body: bytes) -> list[str]:
    return [str(c["summary"]) for c in Calendar.from_ical(body).walk("VEVENT")]


def test_a_drafts_room_hold_is_busy_without_its_title(client, api, organiser, room):
    draft = _draft(organiser, venue={"room_id": room.id}, capacity=10, start=ahead(7, 10), end=ahead(7, 12))
    feed = client.get(f"/rooms/{room.id}/calendar.ics")
    assert _summaries(feed.data) == ["已预约 / Booked"] and TITLE not in feed.get_data(as_text=True)
    day = to_local(draft.starts_at).date()
    page = client.get(f"/rooms/{room.id}?from={day.isoformat()}").get_data(as_text=True)
    assert "10:00–12:00" in page and TITLE not in page
    schedule = api.get(f"/api/v1/rooms/{room.id}/schedule?date={day.isoformat()}").get_json()
    assert [parse_datetime(b["start"]) for b in schedule["busy"]] == [draft.starts_at]
    assert TITLE not in json.dumps(schedule, ensure_ascii=False)

    services.publish_event(organiser, draft.id)
    db.session.commit()
    changed = client.get(f"/rooms/{room.id}/calendar.ics", headers={"If-None-Match": feed.headers["ETag"]})
    assert changed.status_code == 200 and _summaries(changed.data) == [TITLE]


def test_cancelling_a_draft_discards_it_and_frees_its_room(api_as, api, organiser, room):
    draft = _draft(organiser, venue={"room_id": room.id}, capacity=10)
    staff = api_as(organiser)
    response = staff.post(f"/api/v1/events/{draft.id}/cancel", json={})
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    holds = db.session.scalars(db.select(Booking.status).where(Booking.event_session_id.is_not(None))).all()
    assert holds == ["cancelled"]
    assert db.session.get(Event, draft.id).published_at is None
    assert staff.post(f"/api/v1/events/{draft.id}/publish").status_code == 409
    assert staff.get(f"/api/v1/events/{draft.id}").status_code == 200
    assert api.get(f"/api/v1/events/{draft.id}").status_code == 404


def _week(event: Event) -> str:
    return f"/calendar/week?date={to_local(event.starts_at).date().isoformat()}"


def _month(event: Event) -> str:
    local = to_local(event.starts_at)
    return f"/calendar?year={local.year}&month={local.month}"


@pytest.mark.parametrize(
    "path, hidden_by",
    [
        (lambda e: f"/api/v1/events/{e.id}", 404),
        (lambda e: f"/events/{e.id}", 404),
        (lambda e: f"/events/{e.id}.ics", 404),
        (lambda e: "/calendar.ics", 200),
        (lambda e: "/api/v1/events?status=cancelled", 200),
        (_month, 200),
        (_week, 200),
        (lambda e: "/calendar/list", 200),
    ],
    ids=["api-event", "event-page", "event-ics", "public-feed", "api-list", "month", "week", "list"],
)
def test_a_cancelled_draft_never_becomes_public(client, organiser, path, hidden_by):
    draft = _draft(organiser, start=ahead(3, 10), end=ahead(3, 12))
    services.cancel_event(organiser, draft.id)
    db.session.commit()
    response = client.get(path(draft))
    body = json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else response.get_data(as_text=True)
    assert response.status_code == hidden_by
    assert TITLE not in body and DESCRIPTION not in body


def test_cancelled_published_events_stay_in_the_feeds_of_those_signed_up(client, organiser, make_user):
    talent = make_user()
    event = published(organiser, title="已取消的徒步", start=ahead(3, 10), end=ahead(3, 12))
    sign(talent, event)
    services.cancel_event(organiser, event.id, "天气原因")
    discarded = _draft(organiser)
    services.cancel_event(organiser, discarded.id)
    db.session.commit()
    personal = Calendar.from_ical(client.get(f"/calendar/{talent.calendar_token}.ics").data)
    assert [(str(c["summary"]), str(c["status"])) for c in personal.walk("VEVENT")] == [("已取消的徒步", "CANCELLED")]
    public = Calendar.from_ical(client.get("/calendar.ics").data)
    assert [(str(c["summary"]), str(c["status"])) for c in public.walk("VEVENT")] == [("已取消的徒步", "CANCELLED")]
    assert client.get(f"/events/{event.id}").status_code == 200
    listed = client.get(f"/calendar/list?from={(local_today() + timedelta(days=1)).isoformat()}")
    assert "已取消的徒步" in listed.get_data(as_text=True) and TITLE not in listed.get_data(as_text=True)
