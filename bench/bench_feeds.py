"""Feed benchmark, in-process (Flask test client over a SQLite file), 10,000 published events.

Prints, in one run: the cold render of /calendar.ics as a ratio of the bare icalendar library
serialising the same events (target ≤ 1.5×), the repeat request with unchanged data (p50 target
≤ 20 ms: rendered feeds are cached by validator) and the conditional request answered 304 (p50
target ≤ 5 ms).

    .venv/bin/python bench/bench_feeds.py [--events 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed(app, count: int) -> None:
    from app.extensions import db
    from app.models import Event, EventSession

    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    with app.app_context():
        db.create_all()
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


def timed(client, path: str, headers: dict | None = None) -> tuple[float, int, str]:
    started = time.perf_counter()
    response = client.get(path, headers=headers or {})
    elapsed = time.perf_counter() - started
    return elapsed, response.status_code, response.headers.get("ETag", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()

    from app import create_app
    from config import TestConfig

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tempfile.mkdtemp(prefix='bench-feeds-')}/feeds.sqlite"

    app = create_app(BenchConfig)
    seed(app, args.events)
    library = min(bare_library(app) for _ in range(2))
    client = app.test_client()
    cold, status, etag = timed(client, "/calendar.ics")
    assert status == 200
    repeat = [timed(client, "/calendar.ics")[0] for _ in range(30)]
    conditional = [timed(client, "/calendar.ics", {"If-None-Match": etag}) for _ in range(100)]
    assert all(code == 304 for _t, code, _e in conditional)
    not_modified = [t for t, _c, _e in conditional]
    print(f"{args.events} published events, in-process test client, SQLite file")
    print(f"  bare icalendar serialisation: {library * 1000:8.0f} ms")
    print(f"  cold /calendar.ics:           {cold * 1000:8.0f} ms  = {cold / library:.2f}× the library (target ≤ 1.5×)")
    print(f"  repeat, unchanged data p50:   {statistics.median(repeat) * 1000:8.1f} ms  (target ≤ 20 ms)")
    print(f"  conditional 304 p50:          {statistics.median(not_modified) * 1000:8.1f} ms  (target ≤ 5 ms)")


if __name__ == "__main__":
    main()
