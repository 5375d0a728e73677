"""iCalendar feeds, parsed back by three independent parsers; caching validators and 304s."""

from datetime import UTC, datetime, timedelta

import ics as ics_lib
import pytest
import vobject
from bookings_factories import add_booking
from events_factories import event_body, published
from icalendar import Calendar

from app.events import registrations as regs
from app.events import services
from app.extensions import db
from app.timezones import local_datetime, local_today, now_utc

TRICKY = "徒步，白云山; 第二站, 南海\\"
TRICKY_LINES = "集合：白云山南门; 午餐自备\n第二站, 南海"


def _parse_all(text: str) -> list[tuple[str, datetime]]:
    """(summary, start) per event from icalendar, vobject and ics — all three must agree."""
    first = sorted(
        (str(c["summary"]), c.decoded("dtstart").astimezone(UTC)) for c in Calendar.from_ical(text).walk("VEVENT")
    )
    second = (
        sorted((v.summary.value, v.dtstart.value.astimezone(UTC)) for v in vobject.readOne(text).vevent_list)
        if first
        else []
    )
    third = sorted((e.name, e.begin.datetime.astimezone(UTC)) for e in ics_lib.Calendar(text).events)
    assert first == second == third
    return first


def _evening_event(organiser, **fields):
    day = local_today() + timedelta(days=5)
    start, end = local_datetime(day, datetime.strptime("19:00", "%H:%M").time()), None
    end = start + timedelta(hours=2)
    return published(organiser, start=start.isoformat(), end=end.isoformat(), **fields)


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


def test_public_feed_round_trip_with_times_and_chinese_text(client, organiser):
    event = _evening_event(organiser, title=TRICKY, description=TRICKY_LINES)
    response = client.get("/calendar.ics")
    assert response.status_code == 200 and response.content_type == "text/calendar; charset=utf-8"
    text = response.get_data(as_text=True)
    parsed = _parse_all(text)
    assert [p[0] for p in parsed] == [TRICKY]
    assert [str(c["description"]) for c in Calendar.from_ical(text).walk("VEVENT")] == [TRICKY_LINES]
    assert [v.description.value for v in vobject.readOne(text).vevent_list] == [TRICKY_LINES]
    assert parsed[0][1].hour == 11 and parsed[0][1] == event.starts_at  # 19:00 Asia/Shanghai is 11:00Z
    assert "X-WR-TIMEZONE:Asia/Shanghai" in text and f"/events/{event.id}" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_filters_and_drafts(client, organiser, make_user):
    published(organiser, title="荔湾活动")
    published(
        make_user(role="organiser", district="nanhai"),
        title="南海研学",
        host="nanhai",
        kind="study_tour",
        theme="industry",
    )
    services.create_event(organiser, event_body(title="草稿活动"))
    db.session.commit()
    titles = lambda q: [p[0] for p in _parse_all(client.get(f"/calendar.ics{q}").get_data(as_text=True))]  # noqa: E731
    assert titles("") == sorted(["荔湾活动", "南海研学"])
    assert titles("?district=nanhai") == ["南海研学"]
    assert titles("?kind=exchange") == ["荔湾活动"]
    assert client.get("/calendar.ics?district=tianhe").status_code == 400


def test_change_raises_sequence_keeps_uid_and_cancel_is_marked(client, organiser):
    event = published(organiser)
    first = Calendar.from_ical(client.get(f"/events/{event.id}.ics").data).walk("VEVENT")[0]
    day = local_today() + timedelta(days=9)
    services.update_event(
        organiser,
        event.id,
        {
            "start": local_datetime(day, datetime.min.time().replace(hour=9)).isoformat(),
            "end": local_datetime(day, datetime.min.time().replace(hour=11)).isoformat(),
        },
    )
    db.session.commit()
    second = Calendar.from_ical(client.get(f"/events/{event.id}.ics").data).walk("VEVENT")[0]
    assert second["uid"] == first["uid"] and second["sequence"] > first["sequence"]
    services.cancel_event(organiser, event.id)
    db.session.commit()
    feed = Calendar.from_ical(client.get("/calendar.ics").data).walk("VEVENT")
    assert [(str(c["uid"]), str(c["status"])) for c in feed] == [(str(first["uid"]), "CANCELLED")]
    assert feed[0]["sequence"] > second["sequence"]


def test_multi_day_camp_is_one_event_per_session(client, organiser):
    day = local_today() + timedelta(days=12)
    sessions = [
        {
            "start": local_datetime(day + timedelta(days=n), datetime.min.time().replace(hour=9)).isoformat(),
            "end": local_datetime(day + timedelta(days=n), datetime.min.time().replace(hour=16)).isoformat(),
        }
        for n in range(3)
    ]
    published(organiser, kind="youth_camp", min_age=8, max_age=14, sessions=sessions)
    components = Calendar.from_ical(client.get("/calendar.ics").data).walk("VEVENT")
    assert len(components) == 3
    assert all(c.decoded("dtend") - c.decoded("dtstart") == timedelta(hours=7) for c in components)


def test_personal_feed_token_and_contents(client, api_as, organiser, make_user, room):
    talent = make_user()
    full = published(organiser, capacity=1, title="满员活动")
    regs.register(make_user(), full.id, {"consent": True})
    regs.register(talent, full.id, {"consent": True})
    start = now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    add_booking(room, talent, start, start + timedelta(hours=1), "pending", title="我的研讨", purpose="seminar")
    db.session.commit()
    url = api_as(talent).get("/api/v1/me").get_json()["calendar_url"]
    path = url.replace("https://talent-home.example", "")
    feed = Calendar.from_ical(client.get(path).data)
    statuses = {str(c["summary"]): str(c["status"]) for c in feed.walk("VEVENT")}
    assert statuses == {"满员活动": "TENTATIVE", "我的研讨": "TENTATIVE"}
    new_url = api_as(talent).post("/api/v1/me/calendar-token").get_json()["calendar_url"]
    assert client.get(path).status_code == 404
    assert client.get(new_url.replace("https://talent-home.example", "")).status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_etag_304_and_change_invalidates(client, organiser, make_user):
    event = published(organiser)
    first = client.get("/calendar.ics")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    regs.register(make_user(), event.id, {"consent": True})
    services.update_event(organiser, event.id, {"title": "改名"})
    db.session.commit()
    changed = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag and "改名" in changed.get_data(as_text=True)


def test_personal_feed_validator_follows_registrations(client, api_as, organiser, make_user):
    talent = make_user()
    event = published(organiser)
    path = f"/calendar/{talent.calendar_token}.ics"
    etag = client.get(path).headers["ETag"]
    registration = regs.register(talent, event.id, {"consent": True})
    db.session.commit()
    after_signup = client.get(path, headers={"If-None-Match": etag})
    assert after_signup.status_code == 200
    regs.cancel_registration(registration, talent)
    db.session.commit()
    cancelled = client.get(path, headers={"If-None-Match": after_signup.headers["ETag"]})
    assert cancelled.status_code == 200
    assert [str(c["status"]) for c in Calendar.from_ical(cancelled.data).walk("VEVENT")] == ["CANCELLED"]


def test_room_feed_has_no_booker_names(client, make_user, room):
    talent = make_user(name="保密的名字")
    start = now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    add_booking(room, talent, start, start + timedelta(hours=1), "confirmed", title="保密的会议", purpose="seminar")
    db.session.commit()
    text = client.get(f"/rooms/{room.id}/calendar.ics").get_data(as_text=True)
    assert "保密" not in text and [p[0] for p in _parse_all(text)] == ["已预约 / Booked"]
    assert client.get("/rooms/999999/calendar.ics").status_code == 404


def test_booking_ics_only_for_owner_and_home_organisers(client, login, make_user, room):
    owner = make_user()
    start = now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    booking = add_booking(room, owner, start, start + timedelta(hours=1), title="读书会", purpose="seminar")
    db.session.commit()
    assert client.get(f"/bookings/{booking.id}.ics").status_code == 404
    login(make_user())
    assert client.get(f"/bookings/{booking.id}.ics").status_code == 404
    login(owner)
    assert "读书会" in client.get(f"/bookings/{booking.id}.ics").get_data(as_text=True)


def test_drafts_have_no_event_file(client, organiser):
    draft = services.create_event(organiser, event_body())
    db.session.commit()
    assert client.get(f"/events/{draft.id}.ics").status_code == 404


def test_guardian_with_two_sign_ups_gets_one_entry_per_session(client, organiser, make_user):
    """Children signed up one by one are two sign-ups of one event: the feed keeps one UID per
    session, and a confirmed place outranks a waiting one."""
    camp = published(organiser, kind="youth_camp", min_age=6, max_age=15, capacity=1, title="科技研学营")
    born = (local_today() - timedelta(days=365 * 10)).isoformat()
    child = {"name": "甲", "birth_date": born, "guardian_relation": "母亲", "emergency_contact": "139"}
    guardian = make_user()
    first = regs.register(guardian, camp.id, {"consent": True, "participant": child})
    second = regs.register(guardian, camp.id, {"consent": True, "participant": {**child, "name": "乙"}})
    db.session.commit()
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    text = client.get(f"/calendar/{guardian.calendar_token}.ics").get_data(as_text=True)
    assert [p[0] for p in _parse_all(text)] == ["科技研学营"]
    components = Calendar.from_ical(text).walk("VEVENT")
    assert len({str(c["uid"]) for c in components}) == len(components) == 1
    assert str(components[0]["status"]) == "CONFIRMED"
    regs.cancel_registration(first, guardian)  # the second child moves up into the freed place
    regs.cancel_registration(second, guardian)
    db.session.commit()
    components = Calendar.from_ical(client.get(f"/calendar/{guardian.calendar_token}.ics").data).walk("VEVENT")
    assert [str(c["status"]) for c in components] == ["CANCELLED"]


def test_a_change_stamped_before_the_newest_still_changes_the_validator(client, organiser):
    """A transaction may take its timestamp before another's and commit after it: the newest stamp
    and the count stay the same, yet the feed must not be served stale."""
    older, newer = published(organiser, title="甲"), published(organiser, title="乙")
    before = client.get("/calendar.ics")
    assert before.status_code == 200
    late_stamp = newer.updated_at - timedelta(seconds=1)
    assert late_stamp != older.updated_at
    older.title, older.updated_at = "甲改", late_stamp  # as a transaction that took its time earlier would
    db.session.commit()
    after = client.get("/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "甲改" in after.get_data(as_text=True)


def test_sign_ups_leave_the_public_feed_validator_alone(client, organiser, make_user):
    """Sign-ups do not change what the public feed shows, so its validator (and cached body) stay."""
    event = published(organiser)
    etag = client.get("/calendar.ics").headers["ETag"]
    regs.register(make_user(), event.id, {"consent": True})
    db.session.commit()
    assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
