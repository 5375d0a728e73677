"""Feeds from stored VEVENT fragments: on the demo data every feed reads, with three parsers, as the
whole-calendar rendering reads; entries follow changes in their own transaction; a room feed shows a
public event's reservation as the event itself."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import ics as ics_lib
import pytest
import vobject
from bookings_factories import add_booking
from events_factories import published
from icalendar import Calendar

from app.demo import seed_demo
from app.events import services
from app.extensions import db
from app.feeds import ics, queries
from app.feeds.cache import cache
from app.models import Booking, FeedFragment, Room, User
from app.models.event import KINDS
from app.models.user import DISTRICTS
from app.timezones import local_datetime, local_today, now_utc

# ICAL.js (the calendar parser of Thunderbird and many web calendars) from the npm registry, where
# .ci/run installs it: `npm install --no-save --prefix tests/.icaljs ical.js@2.2.1`.
ICALJS = Path(__file__).resolve().parent / ".icaljs" / "node_modules" / "ical.js"


# The rendering before stored fragments: whole calendars built with the icalendar library --------


def reference_public(district, kind, now) -> str:
    calendar = ics.new_calendar("荔南人才之家 · 活动 Talent Home events")
    for event in queries.public_feed_events(district, kind, now):
        for component in ics.event_components(event, stamp=now):
            calendar.add_component(component)
    return ics.to_text(calendar)


def reference_personal(user, now) -> str:
    calendar = ics.new_calendar(f"荔南人才之家 · {user.name}")
    for booking in queries.personal_bookings(user, now):
        calendar.add_component(ics.booking_component(booking, with_details=True, stamp=now))
    for signups in queries.personal_sign_ups(user).values():
        for component in ics.registration_components(signups, now):
            calendar.add_component(component)
    return ics.to_text(calendar)


def reference_room(room, now) -> str:
    """As before, with the fix: a public event's reservation is that event's own entry."""
    calendar = ics.new_calendar(f"{room.name} · {room.home.name}")
    for booking, public in queries.room_holds(room):
        if public:
            event = _event_of(booking)
            components = dict(zip([s.id for s in event.sessions], ics.event_components(event, stamp=now), strict=True))
            calendar.add_component(components[booking.event_session_id])
        else:
            calendar.add_component(ics.booking_component(booking, with_details=False, stamp=now))
    return ics.to_text(calendar)


def _event_of(booking):
    from app.models import EventSession

    return db.session.get(EventSession, booking.event_session_id).event


# Reading calendars ----------------------------------------------------------------------------


def _blocks(text: str) -> list[str]:
    """Each VEVENT's lines, as sent (folded), without DTSTAMP (the time of rendering), sorted."""
    blocks = re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, flags=re.S)
    return sorted(re.sub(r"DTSTAMP:[0-9TZ]+\r\n", "", block) for block in blocks)


def _head(text: str) -> str:
    return text.split("BEGIN:VEVENT", 1)[0] if "BEGIN:VEVENT" in text else text.replace("END:VCALENDAR\r\n", "")


def _read_icalendar(text: str) -> list[tuple]:
    out = []
    for c in Calendar.from_ical(text).walk("VEVENT"):
        out.append(
            (
                str(c["uid"]),
                str(c["summary"]),
                str(c.get("description", "")),
                str(c.get("location", "")),
                str(c.get("url", "")),
                c.decoded("dtstart").astimezone(UTC),
                c.decoded("dtend").astimezone(UTC),
                int(c["sequence"]),
                str(c["status"]),
            )
        )
    return sorted(out)


def _read_vobject(text: str) -> list[tuple]:
    calendar = vobject.readOne(text)
    out = []
    for v in getattr(calendar, "vevent_list", []):
        out.append(
            (
                v.uid.value,
                v.summary.value,
                v.description.value if hasattr(v, "description") else "",
                v.location.value if hasattr(v, "location") else "",
                v.url.value if hasattr(v, "url") else "",
                v.dtstart.value.astimezone(UTC),
                v.dtend.value.astimezone(UTC),
                int(v.sequence.value),
                v.status.value,
            )
        )
    return sorted(out)


def _read_ics(text: str) -> list[tuple]:
    out = []
    for e in ics_lib.Calendar(text).events:
        extra = {x.name: x.value for x in e.extra}
        out.append(
            (
                e.uid,
                e.name,
                e.description or "",
                e.location or "",
                e.url or "",
                e.begin.datetime.astimezone(UTC),
                e.end.datetime.astimezone(UTC),
                int(extra.get("SEQUENCE", "0")),
                e.status or extra.get("STATUS", ""),
            )
        )
    return sorted(out)


def _same(new: str, old: str) -> list[tuple]:
    assert all(len(line.encode()) <= 75 for line in new.split("\r\n")), "lines folded at 75 octets"
    assert new.endswith("\r\n") and "\n" not in new.replace("\r\n", "")
    assert _head(new) == _head(old)
    assert _blocks(new) == _blocks(old)
    first = _read_icalendar(new)
    assert first == _read_icalendar(old)
    assert _read_vobject(new) == _read_vobject(old) == first if first else True
    assert _read_ics(new) == _read_ics(old)
    assert [row[:7] for row in _read_ics(new)] == [row[:7] for row in first]
    return first


# Tests ----------------------------------------------------------------------------------------


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()
    cache.items.clear()
    cache.total = 0


def _feeds(client):
    """(path, new text, old text) for every feed the demo data has."""
    now = queries.now()
    out = []
    for district in (None, *DISTRICTS):
        for kind in (None, *KINDS):
            query = "&".join(f"{k}={v}" for k, v in (("district", district), ("kind", kind)) if v)
            path = "/calendar.ics" + (f"?{query}" if query else "")
            out.append((path, client.get(path).get_data(as_text=True), reference_public(district, kind, now)))
    for room in db.session.scalars(db.select(Room).where(Room.active)):
        path = f"/rooms/{room.id}/calendar.ics"
        out.append((path, client.get(path).get_data(as_text=True), reference_room(room, now)))
    for user in db.session.scalars(db.select(User).where(User.active)):
        path = f"/calendar/{user.calendar_token}.ics"
        out.append((path, client.get(path).get_data(as_text=True), reference_personal(user, now)))
    return out


def test_every_demo_feed_reads_as_the_whole_calendar_rendering(client, demo):
    feeds = _feeds(client)
    entries = 0
    for path, new, old in feeds:
        try:
            entries += len(_same(new, old))
        except AssertionError as error:
            raise AssertionError(path) from error
    assert entries > 50 and any("BEGIN:VEVENT" in new for path, new, _o in feeds if path.startswith("/calendar/"))
    stored = db.session.scalar(db.select(db.func.count()).select_from(FeedFragment))
    assert stored > 0


def test_personal_feed_in_english_reads_as_before(client, demo):
    now = queries.now()
    users = [u for u in db.session.scalars(db.select(User)) if queries.personal_bookings(u, now)]
    assert users
    client.set_cookie("lang", "en")
    for user in users:
        new = client.get(f"/calendar/{user.calendar_token}.ics").get_data(as_text=True)
        with client.application.test_request_context(headers={"Cookie": "lang=en"}):
            old = reference_personal(user, now)
        assert "Address:" in new
        _same(new, old)


def test_icaljs_reads_every_demo_feed_as_before(client, demo, tmp_path):
    if not ICALJS.exists() or not shutil.which("node"):
        reason = "ical.js is not installed (npm install --no-save --prefix tests/.icaljs ical.js@2.2.1)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason}: the feed parser check is required in CI")
        pytest.skip(reason)
    script = tmp_path / "read.js"
    script.write_text(
        """
const loaded = require(process.env.ICALJS);
const ICAL = loaded.default || loaded;
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(texts.map(text => new ICAL.Component(ICAL.parse(text))
  .getAllSubcomponents('vevent').map(c => { const e = new ICAL.Event(c);
    return [e.uid, e.summary, e.description || '', e.location || '', String(c.getFirstPropertyValue('url') || ''),
            e.startDate.toUnixTime(), e.endDate.toUnixTime(), e.sequence,
            String(c.getFirstPropertyValue('status'))]; }).sort())));
"""
    )
    feeds = _feeds(client)
    texts = [t for _p, new, old in feeds for t in (new, old)]
    result = subprocess.run(
        ["node", str(script)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "ICALJS": str(ICALJS)},
    )
    read = json.loads(result.stdout)
    assert sum(len(r) for r in read) > 100
    for n, (path, _new, _old) in enumerate(feeds):
        assert read[2 * n] == read[2 * n + 1], path


def _at(day_offset: int, hour: int) -> str:
    day = local_today() + timedelta(days=day_offset)
    return local_datetime(day, datetime.min.time().replace(hour=hour)).isoformat()


def _room_entries(client, room) -> list:
    return [
        (str(c["uid"]), str(c["summary"]), int(c["sequence"]), c.decoded("dtstart"))
        for c in Calendar.from_ical(client.get(f"/rooms/{room.id}/calendar.ics").data).walk("VEVENT")
    ]


def test_room_feed_follows_an_events_title_sequence_and_keeps_its_uid(client, make_user, room):
    organiser = make_user(role="organiser", district=room.home.district)
    event = published(
        organiser, title="人才沙龙", venue={"room_id": room.id}, capacity=10, start=_at(6, 14), end=_at(6, 16)
    )
    (session_id,) = [s.id for s in event.sessions]
    uid = f"event-{event.id}-session-{session_id}@talent-home"
    first = _room_entries(client, room)
    assert [(u, s) for u, s, _q, _d in first] == [(uid, "人才沙龙")]

    services.update_event(organiser, event.id, {"title": "人才沙龙（改期）"})
    db.session.commit()
    renamed = _room_entries(client, room)
    assert [(u, s) for u, s, _q, _d in renamed] == [(uid, "人才沙龙（改期）")]
    assert renamed[0][2] > first[0][2]

    services.update_event(organiser, event.id, {"start": _at(8, 9), "end": _at(8, 11)})
    db.session.commit()
    moved = _room_entries(client, room)
    assert [u for u, _s, _q, _d in moved] == [uid] and moved[0][2] > renamed[0][2]
    assert moved[0][3] == datetime.fromisoformat(_at(8, 9)).astimezone(UTC)
    public = Calendar.from_ical(client.get("/calendar.ics").data).walk("VEVENT")
    assert [(str(c["uid"]), int(c["sequence"])) for c in public] == [(uid, moved[0][2])]


def test_entries_are_rebuilt_in_the_transaction_of_the_change(app, make_user, room):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, title="旧名")
    stored = lambda: db.session.scalars(  # noqa: E731
        db.select(FeedFragment.body).where(FeedFragment.kind == "session", FeedFragment.event_id == event.id)
    ).all()
    assert len(stored()) == 1 and "SUMMARY:旧名" in stored()[0]
    event.title = "新名"
    db.session.rollback()
    assert "SUMMARY:旧名" in stored()[0]
    services.update_event(organiser, event.id, {"title": "新名"})
    db.session.commit()
    assert "SUMMARY:新名" in stored()[0]

    talent = make_user()
    start = now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    booking = add_booking(
        room, talent, start, start + timedelta(hours=1), "confirmed", title="读书会", purpose="seminar"
    )
    db.session.commit()
    variants = lambda: dict(  # noqa: E731
        db.session.execute(
            db.select(FeedFragment.variant, FeedFragment.body).where(
                FeedFragment.kind == "booking", FeedFragment.object_id == booking.id
            )
        ).all()
    )
    assert set(variants()) == {"busy", "zh"} and "读书会" in variants()["zh"] and "读书会" not in variants()["busy"]
    booking.status = "cancelled"
    db.session.commit()
    assert "STATUS:CANCELLED" in variants()["zh"]
    room.name = "新的会议室"
    db.session.commit()
    assert "新的会议室" in variants()["busy"]


def test_missing_entries_are_rendered_and_kept(client, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, title="补上的活动", description="很长的说明" * 40)
    db.session.execute(db.delete(FeedFragment))
    db.session.commit()
    text = client.get("/calendar.ics").get_data(as_text=True)
    assert [s for s, _d in _parse(text)] == ["补上的活动"]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    kept = db.session.scalar(
        db.select(db.func.count()).select_from(FeedFragment).where(FeedFragment.event_id == event.id)
    )
    assert kept == 1


def _parse(text):
    return [(str(c["summary"]), c.decoded("dtstart")) for c in Calendar.from_ical(text).walk("VEVENT")]


def test_cancelled_booking_in_personal_feed_and_room_feed(client, make_user, room):
    talent = make_user()
    start = now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    booking = add_booking(
        room, talent, start, start + timedelta(hours=1), "confirmed", title="小组会", purpose="seminar"
    )
    db.session.commit()
    path = f"/calendar/{talent.calendar_token}.ics"
    assert [str(c["status"]) for c in Calendar.from_ical(client.get(path).data).walk("VEVENT")] == ["CONFIRMED"]
    db.session.get(Booking, booking.id).status = "cancelled"
    db.session.commit()
    (entry,) = Calendar.from_ical(client.get(path).data).walk("VEVENT")
    assert str(entry["status"]) == "CANCELLED" and int(entry["sequence"]) == 1
    assert _room_entries(client, room) == []


def _booking_variants(booking_id: int) -> dict[str, str]:
    return dict(
        db.session.execute(
            db.select(FeedFragment.variant, FeedFragment.body).where(
                FeedFragment.kind == "booking", FeedFragment.object_id == booking_id
            )
        ).all()
    )


def test_a_booking_is_rendered_once_for_its_confirmation_and_its_feed_entry(make_user, room, monkeypatch):
    """A new booking's entry with details is rendered once: the confirmation's calendar file holds
    the very text the feed stores (one render each for it and the busy entry, not three)."""
    from bookings_factories import NOW, req

    from app.bookings.services import booking as booking_services
    from app.models import Notification

    renders = []
    render = ics.booking_properties
    monkeypatch.setattr(ics, "booking_properties", lambda *a, **k: renders.append(a[1]) or render(*a, **k))
    talent = make_user()
    booked = booking_services.book_room(talent, req(room, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW).bookings[0]
    db.session.commit()
    assert sorted(renders) == [False, True]
    stored = _booking_variants(booked.id)
    mail = db.session.scalar(db.select(Notification.ics).where(Notification.booking_id == booked.id))
    assert set(stored) == {"busy", "zh"} and stored["zh"] in mail


def test_a_bookings_message_and_entries_are_written_together_and_follow_a_later_change(make_user, room):
    """A new booking's message and its two entries are written by one statement on PostgreSQL (two
    on SQLite) before the commit; a change later in the same transaction is what the entry stores."""
    from bookings_factories import NOW, req
    from sqlalchemy import event as sa_event

    from app.bookings.services import booking as booking_services
    from app.models import Notification

    talent = make_user()
    inserts = []
    listen = lambda *args: inserts.append(args[2]) if "INSERT" in args[2] else None  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        booked = booking_services.book_room(talent, req(room, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW)
        written = [s for s in inserts if "feed_fragments" in s or "notifications" in s]
        booking = booked.bookings[0]
        booking.title = "改过的标题"
        db.session.commit()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    if db.engine.dialect.name == "postgresql":
        [together] = written
        assert together.startswith("WITH along_1 AS") and "INSERT INTO notifications" in together
        assert together.count("INSERT INTO feed_fragments") == 2
    else:
        assert len(written) == 2
    stored = _booking_variants(booking.id)
    assert set(stored) == {"busy", "zh"} and "SUMMARY:改过的标题" in stored["zh"]
    assert f"UID:booking-{booking.id}@" in stored["busy"] and "SUMMARY:已预约 / Booked" in stored["busy"]
    mail = db.session.scalar(db.select(Notification).where(Notification.booking_id == booking.id))
    assert mail.kind == "booking_confirmed" and mail.created_at.utcoffset() == timedelta(0)


def test_a_change_after_rendering_is_what_the_entry_stores(make_user, room):
    """Text rendered earlier in the transaction is not reused once the booking changes, nor after
    a savepoint that made it is rolled back."""
    talent = make_user()
    start = now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    booking = add_booking(room, talent, start, start + timedelta(hours=1), title="第一稿")
    assert "第一稿" in ics.booking_text(booking, with_details=True)
    booking.title = "第二稿"
    db.session.commit()
    assert "SUMMARY:第二稿" in _booking_variants(booking.id)["zh"]

    with db.session.begin_nested():
        booking.title = "撤回的标题"
        db.session.flush()
        assert "撤回的标题" in ics.booking_text(booking, with_details=True)
        db.session.rollback()
    db.session.commit()
    assert "SUMMARY:第二稿" in _booking_variants(booking.id)["zh"]
    assert "第二稿" in ics.booking_text(db.session.get(Booking, booking.id), with_details=True)


def test_an_event_file_is_its_stored_entries_and_follows_a_change_before_the_commit(make_user, monkeypatch):
    """The calendar file of an event (downloads, a sign-up's mail) is its stored entries, read as
    the whole rendering would give them; within a transaction that changed the event it is rendered
    from the change, since the entries are stored again only at the commit."""
    from app.feeds import fragments

    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, title="读书分享会")
    rendered = ics.event_ics(event)
    renders = []
    monkeypatch.setattr(ics, "event_ics", lambda e: renders.append(e.id) or rendered)
    stored = fragments.event_file(event)
    assert renders == [] and _head(stored) == _head(rendered) and _blocks(stored) == _blocks(rendered)
    monkeypatch.undo()
    services.update_event(organiser, event.id, {"title": "改名后的分享会"})
    db.session.flush()
    assert "SUMMARY:改名后的分享会" in fragments.event_file(event)
    db.session.commit()
    assert "SUMMARY:改名后的分享会" in fragments.event_file(event)
