"""Feed benchmark: 10,000 published events, a talent's personal feed and a busy room's feed.

Prints, in one run and on one SQLite file: each cold feed (entries stored, the rendered-feed cache
empty) as a ratio of the bare icalendar library serialising the same entries from rows already in
memory (target ≤ 0.3× for the public, personal and room feeds), the repeat request with unchanged
data (p50 target ≤ 20 ms), the conditional request answered 304 (p50 target ≤ 5 ms), and the peak
RSS of a one-worker gunicorn serving the public feed cold (target ≤ 200 MB). Exits 1 when a target
is missed.

    .venv/bin/python bench/bench_feeds.py [--events 10000] [--bookings 5000] [--sign-ups 2000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RATIO_TARGET = 0.3
REPEAT_TARGET_MS = 20
NOT_MODIFIED_TARGET_MS = 5
RSS_TARGET_MB = 200


def seed(app, count: int) -> None:
    from app.extensions import db
    from app.models import Event, EventSession

    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    with app.app_context():
        now = datetime.now(UTC)
        db.session.execute(
            db.insert(Event),
            [
                {
                    "id": n + 1,
                    "kind": "exchange",
                    "title": f"荔南人才交流活动 {n}，第{n % 7}站; 白云山",
                    "description": "两区人才携手交流\n欢迎报名",
                    "host": ("liwan", "nanhai", "joint")[n % 3],
                    "status": "published",
                    "starts_at": start + timedelta(hours=n),
                    "ends_at": start + timedelta(hours=n + 2),
                    "address": "广州市荔湾区",
                    "capacity": 30,
                    "sequence": n % 3,
                    "itinerary": [],
                    "created_at": now,
                    "updated_at": now,
                    "published_at": now,
                }
                for n in range(count)
            ],
        )
        db.session.execute(
            db.insert(EventSession),
            [
                {
                    "event_id": n + 1,
                    "title": "",
                    "starts_at": start + timedelta(hours=n),
                    "ends_at": start + timedelta(hours=n + 2),
                }
                for n in range(count)
            ],
        )
        db.session.commit()


def bare_library(app) -> float:
    """The icalendar library alone: the same VEVENT properties, from rows already in memory."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    from app.extensions import db
    from app.models import Event

    with app.app_context():
        events = [(e, list(e.sessions)) for e in db.session.scalars(db.select(Event))]
        stamp = datetime.now(UTC)
        started = time.perf_counter()
        calendar = Calendar()
        calendar.add("prodid", "-//bench//")
        calendar.add("version", "2.0")
        for event, sessions in events:
            for session in sessions:
                component = VEvent()
                component.add("uid", f"event-{event.id}-session-{session.id}@talent-home")
                component.add("dtstamp", stamp)
                component.add("dtstart", session.starts_at)
                component.add("dtend", session.ends_at)
                component.add("summary", event.title)
                component.add("description", event.description)
                component.add("location", event.address)
                component.add("url", f"http://localhost/events/{event.id}")
                component.add("sequence", event.sequence)
                component.add("last-modified", event.updated_at)
                component.add("status", "CONFIRMED")
                component.add("categories", [event.kind])
                calendar.add_component(component)
        calendar.to_ical()
        return time.perf_counter() - started


def seed_person(app, bookings: int, sign_ups: int) -> tuple[int, int, str]:
    """A talent with `bookings` bookings in one room (the room's feed) and `sign_ups` sign-ups."""
    from app.auth.services import create_user
    from app.demo import seed_homes
    from app.extensions import db
    from app.models import Booking, Registration, Room

    with app.app_context():
        seed_homes()
        room = db.session.scalar(db.select(Room).order_by(Room.id))
        user = create_user("bench@example.com", "Bench-pass-2026!", "测试人才", "talent", "liwan")
        db.session.flush()
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        now = datetime.now(UTC)
        db.session.execute(
            db.insert(Booking),
            [
                {
                    "room_id": room.id,
                    "user_id": user.id,
                    "starts_at": start + timedelta(hours=2 * n),
                    "ends_at": start + timedelta(hours=2 * n + 1),
                    "title": f"读书会 第{n}期，荔湾; 南海",
                    "purpose": "seminar",
                    "attendees": 4,
                    "status": ("confirmed", "pending")[n % 2],
                    "sequence": n % 2,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(bookings)
            ],
        )
        db.session.execute(
            db.insert(Registration),
            [
                {
                    "event_id": n + 1,
                    "user_id": user.id,
                    "status": ("confirmed", "waitlisted", "cancelled")[n % 3],
                    "check_in_code": f"B{n:07d}",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(sign_ups)
            ],
        )
        db.session.commit()
        return user.id, room.id, user.calendar_token


def backfill(app) -> float:
    """Render every entry once, as the changes that made the rows would have (bulk inserts do not)."""
    from app.extensions import db
    from app.feeds import fragments

    with app.app_context():
        started = time.perf_counter()
        fragments.backfill(db.session)
        db.session.commit()
        return time.perf_counter() - started


def _library_components(items) -> float:
    """Serialise (properties) tuples as VEVENTs in one calendar: the bare library's time."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    started = time.perf_counter()
    calendar = Calendar()
    calendar.add("prodid", "-//bench//")
    calendar.add("version", "2.0")
    for properties in items:
        component = VEvent()
        for name, value in properties:
            component.add(name, value)
        calendar.add_component(component)
    calendar.to_ical()
    return time.perf_counter() - started


def bare_personal_and_room(app, user_id: int, room_id: int) -> tuple[float, float]:
    """The library alone for the personal feed's and the room feed's entries (rows, place texts
    and URLs prepared beforehand)."""
    from app.bookings.place import place_of
    from app.extensions import db
    from app.models import Booking, Event, Registration

    with app.test_request_context():
        stamp = datetime.now(UTC)
        bookings = list(db.session.scalars(db.select(Booking).where(Booking.user_id == user_id)))
        places = {b.id: "\n".join(place_of(b).lines()) for b in bookings}
        registered = list(
            db.session.execute(
                db.select(Event, Registration.status)
                .join(Registration, Registration.event_id == Event.id)
                .where(Registration.user_id == user_id)
            )
        )
        sessions = {event.id: list(event.sessions) for event, _s in registered}

        def booking(b, details):
            return [
                ("uid", f"booking-{b.id}@talent-home"),
                ("dtstamp", stamp),
                ("dtstart", b.starts_at),
                ("dtend", b.ends_at),
                ("summary", b.title if details else "已预约 / Booked"),
                ("location", "会议室 · 荔湾人才之家 · 广州市荔湾区"),
                *([("description", places[b.id])] if details else []),
                ("url", f"http://localhost/rooms/{b.room_id}"),
                ("sequence", b.sequence),
                ("last-modified", b.updated_at),
                ("status", "CONFIRMED"),
            ]

        personal = [booking(b, True) for b in bookings] + [
            [
                ("uid", f"event-{event.id}-session-{session.id}@talent-home"),
                ("dtstamp", stamp),
                ("dtstart", session.starts_at),
                ("dtend", session.ends_at),
                ("summary", event.title),
                ("description", event.description),
                ("location", event.address),
                ("url", f"http://localhost/events/{event.id}"),
                ("sequence", event.sequence),
                ("last-modified", event.updated_at),
                ("status", "CONFIRMED" if status == "confirmed" else "TENTATIVE"),
                ("categories", [event.kind]),
            ]
            for event, status in registered
            for session in sessions[event.id]
        ]
        room = [booking(b, False) for b in bookings if b.room_id == room_id]
        return (
            min(_library_components(personal) for _ in range(2)),
            min(_library_components(room) for _ in range(2)),
        )


def timed(client, path: str, headers: dict | None = None) -> tuple[float, int, str, bytes]:
    started = time.perf_counter()
    response = client.get(path, headers=headers or {})
    body = response.get_data()
    elapsed = time.perf_counter() - started
    return elapsed, response.status_code, response.headers.get("ETag", ""), body


def cold(client, path: str, runs: int = 3) -> tuple[float, bytes]:
    """The best of `runs` requests, each with the rendered-feed cache emptied first."""
    from app.feeds.cache import cache

    best, body = None, b""
    for _ in range(runs):
        cache.items.clear()
        cache.total = 0
        elapsed, status, _etag, body = timed(client, path)
        assert status == 200, (path, status)
        best = elapsed if best is None else min(best, elapsed)
    return best, body


def worker_rss(url: str) -> float:
    """Peak RSS (MB) of a one-worker gunicorn after serving the public feed cold."""
    from common import GunicornServer, Request, run_load, workers_peak_rss_mb

    with GunicornServer(url, workers=1, env={"GUNICORN_CMD_ARGS": "--timeout 300"}) as server:
        result = run_load(server, lambda _i: Request("GET", "/calendar.ics"), 1, clients=1)
        assert result.statuses.get(200) == 1, result.statuses
        return workers_peak_rss_mb(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--bookings", type=int, default=5_000)
    parser.add_argument("--sign-ups", type=int, default=2_000)
    args = parser.parse_args()

    from common import app_for, fresh_database

    url = fresh_database("sqlite", "bench-feeds")
    app = app_for(url)
    seed(app, args.events)
    user_id, room_id, token = seed_person(app, args.bookings, min(args.sign_ups, args.events))
    filled = backfill(app)
    library = min(bare_library(app) for _ in range(2))
    library_personal, library_room = bare_personal_and_room(app, user_id, room_id)
    client = app.test_client()
    feeds = {
        "public /calendar.ics": ("/calendar.ics", library),
        "personal feed": (f"/calendar/{token}.ics", library_personal),
        "room feed": (f"/rooms/{room_id}/calendar.ics", library_room),
    }
    ok = True
    print(f"{args.events} published events; a talent with {args.bookings} bookings in one room and")
    print(f"{min(args.sign_ups, args.events)} sign-ups; in-process test client, SQLite file")
    print(f"  entries rendered and stored once (after the bulk load): {filled:6.1f} s")
    for label, (path, bare) in feeds.items():
        elapsed, body = cold(client, path)
        ratio = elapsed / bare
        good = ratio <= RATIO_TARGET
        ok &= good
        entries = body.count(b"BEGIN:VEVENT")
        print(
            f"  {label:22} cold {elapsed * 1000:7.0f} ms, library {bare * 1000:7.0f} ms ({entries} entries)"
            f"  = {ratio:.2f}× (target ≤ {RATIO_TARGET}×) {'ok' if good else 'MISSED'}"
        )
    timed(client, "/calendar.ics")
    repeat = statistics.median(timed(client, "/calendar.ics")[0] for _ in range(30)) * 1000
    etag = timed(client, "/calendar.ics")[2]
    conditional = [timed(client, "/calendar.ics", {"If-None-Match": etag}) for _ in range(100)]
    assert all(code == 304 for _t, code, _e, _b in conditional)
    not_modified = statistics.median(t for t, _c, _e, _b in conditional) * 1000
    ok &= repeat <= REPEAT_TARGET_MS and not_modified <= NOT_MODIFIED_TARGET_MS
    print(f"  repeat, unchanged data p50: {repeat:8.1f} ms  (target ≤ {REPEAT_TARGET_MS} ms)")
    print(f"  conditional 304 p50:        {not_modified:8.1f} ms  (target ≤ {NOT_MODIFIED_TARGET_MS} ms)")
    rss = worker_rss(url)
    ok &= rss <= RSS_TARGET_MB
    print(f"  gunicorn worker peak RSS, public feed cold: {rss:6.0f} MB  (target ≤ {RSS_TARGET_MB} MB)")
    print("all targets met" if ok else "TARGET MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
