"""Booking benchmark on gunicorn (4 workers), SQLite then PostgreSQL, in one run.

Prints, per database: the booking POST's throughput at 64 concurrent clients next to the two
baselines (a trivial JSON route, a minimal guarded insert) with the ratios, the latency of an
availability search for one day across both homes with 50,000 bookings stored, and of a booking
refused for a clash with its alternatives next to a refusal without them.

    .venv/bin/python bench/bench_booking.py [--total 2000] [--only sqlite|postgresql]

Every booking request is valid and aimed at a distinct free slot, so each should answer 201; the
per-talent quota is lifted on the server (BOOKING_MAX_UPCOMING, BOOKING_MAX_HOURS_PER_WEEK) so that
64 talents can make thousands of bookings, while every rule, the quota query included, still runs.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, date, datetime, timedelta

from common import (
    GunicornServer,
    Request,
    app_for,
    drop_postgres,
    fresh_database,
    latency,
    measure_baselines,
    print_results,
    run_load,
    trivial_request,
)

STORED = 50_000
TALENTS = 64
PAST_BOOKERS = 2000
DB_NAME = "bench_booking"


def seed(url: str) -> tuple[list[int], list[str]]:
    """Both homes, 64 verified talents with API tokens, and 50,000 bookings outside the horizon."""
    from app.auth.tokens import issue_api_token
    from app.demo import seed_homes
    from app.extensions import db
    from app.models import Booking, Room, User

    app = app_for(url)
    with app.app_context():
        seed_homes()
        talents = []
        for n in range(TALENTS):
            user = User(
                name=f"Bench talent {n}",
                email=f"bench{n}@example.com",
                password_hash="!",
                role="talent",
                district="liwan" if n % 2 else "nanhai",
                talent_status="verified",
                credential_issuer="liwan_yingcai",
                credential_number=f"B{n:05d}",
                calendar_token=f"bench-calendar-{n}",
            )
            db.session.add(user)
            talents.append(user)
        db.session.execute(
            db.insert(User),
            [
                {
                    "name": f"Past booker {n}",
                    "email": f"past{n}@example.com",
                    "password_hash": "!",
                    "role": "talent",
                    "talent_status": "verified",
                    "calendar_token": f"bench-past-{n}",
                    "active": True,
                }
                for n in range(PAST_BOOKERS)
            ],
        )
        db.session.flush()
        past = list(db.session.scalars(db.select(User.id).where(User.email.like("past%"))))
        tokens = [issue_api_token(user, 30) for user in talents]
        rooms = [r.id for r in db.session.scalars(db.select(Room).order_by(Room.id))]
        db.session.execute(db.insert(Booking), list(_stored_bookings(rooms, past)))
        db.session.commit()
        analyse(db)
        db.engine.dispose()
    return rooms, tokens


def analyse(db) -> None:
    """Refresh the planner's statistics after the bulk load, as `PRAGMA optimize` or autovacuum would."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def _stored_bookings(rooms: list[int], users: list[int]):
    """STORED one-hour bookings, 8 a room a day: the past 600 days and days 32–127 ahead."""
    rng = random.Random(4)
    today = date.today()
    days = [today - timedelta(days=n) for n in range(1, 601)] + [today + timedelta(days=n) for n in range(32, 128)]
    made = 0
    now = datetime.now(UTC)
    for day in days:
        for room in rooms:
            for hour in sorted(rng.sample(range(9, 20), 8)):
                if made == STORED:
                    return
                start = datetime(day.year, day.month, day.day, hour - 8, tzinfo=UTC)  # local hour in UTC
                made += 1
                yield {
                    "room_id": room,
                    "user_id": users[made % len(users)],
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=1),
                    "title": "stored",
                    "purpose": "other",
                    "attendees": 2,
                    "status": "confirmed",
                    "checked_in_at": start if start < now else None,
                    "sequence": 0,
                    "created_at": now,
                    "updated_at": now,
                }


def bookable_slots(url: str, rooms: list[int]) -> list[tuple[int, str, str]]:
    """Every free half-hour of every room within opening hours, days 1–30 ahead, rooms in turn."""
    from app.extensions import db
    from app.homes.opening import opening_interval
    from app.models import Room
    from app.timezones import local_today, to_local

    app = app_for(url)
    per_room: dict[int, list[tuple[int, str, str]]] = {r: [] for r in rooms}
    with app.app_context():
        for room_id in rooms:
            room = db.session.get(Room, room_id)
            for n in range(1, 31):
                interval = opening_interval(room.home, local_today() + timedelta(days=n))
                if interval is None:
                    continue
                start = interval[0]
                while start + timedelta(minutes=30) <= interval[1]:
                    end = start + timedelta(minutes=30)
                    per_room[room_id].append((room_id, to_local(start).isoformat(), to_local(end).isoformat()))
                    start = end
        db.engine.dispose()
    longest = max(len(v) for v in per_room.values())
    return [per_room[r][i] for i in range(longest) for r in rooms if i < len(per_room[r])]


def booking_request(slots, tokens):
    def make(i: int) -> Request:
        room, start, end = slots[i]
        body = {"room_id": room, "start": start, "end": end, "title": "Bench", "purpose": "seminar", "attendees": 2}
        return Request("POST", "/api/v1/bookings", body, {"Authorization": f"Bearer {tokens[i % len(tokens)]}"})

    return make


def refusals(server, slots, tokens):
    """Latency of a booking refused for a clash (409, with its alternatives: both homes' busy time of
    two days read and searched) next to one refused for its length (422 too_long, none), on a slot the
    load run has just booked."""
    room, start, end = slots[0]
    headers = {"Authorization": f"Bearer {tokens[1]}"}
    body = {"room_id": room, "start": start, "end": end, "title": "Bench", "purpose": "seminar", "attendees": 2}
    too_long = body | {"end": (datetime.fromisoformat(start) + timedelta(hours=6)).isoformat()}
    clash = latency(server, lambda i: Request("POST", "/api/v1/bookings", body, headers))
    plain = latency(server, lambda i: Request("POST", "/api/v1/bookings", too_long, headers))
    return clash, plain


def check_no_overlap(url: str) -> tuple[int, int]:
    """(holding bookings, overlapping pairs among them): the second must be 0."""
    from app.extensions import db
    from app.models import Booking

    app = app_for(url)
    with app.app_context():
        a, b = db.aliased(Booking), db.aliased(Booking)
        holding = ("pending", "confirmed")
        pairs = db.session.scalar(
            db.select(db.func.count())
            .select_from(a)
            .join(b, (a.room_id == b.room_id) & (a.id < b.id) & (a.starts_at < b.ends_at) & (b.starts_at < a.ends_at))
            .where(a.status.in_(holding), b.status.in_(holding))
        )
        count = db.session.scalar(db.select(db.func.count(Booking.id)).where(Booking.status.in_(holding)))
        db.engine.dispose()
    return count, pairs


def time_timeline(server: GunicornServer, day: str) -> None:
    """The find page's timeline of both homes for an afternoon search (one client, 50,000 bookings
    stored), beside a baseline of the same run: the trivial route, and the find page with no time asked."""
    baseline = latency(server, trivial_request)
    plain = latency(server, lambda i: Request("GET", f"/bookings/find?date={day}"))
    searched = latency(
        server, lambda i: Request("GET", f"/bookings/find?date={day}&start=14:00&end=16:00&min_capacity=6")
    )
    print(f"-- find page timeline, one client, {STORED:,} bookings stored, day {day} (target p50 ≤ 30 ms):")
    for name, result in (
        ("baseline: trivial JSON route", baseline),
        ("find page, no time asked", plain),
        ("find page timeline, 14–16, 6 people", searched),
    ):
        print(f"   {name:38} p50 {result.p50:6.1f} ms   p99 {result.p99:6.1f} ms   statuses {dict(result.statuses)}")


def run(kind: str, total: int) -> None:
    url = fresh_database(kind, DB_NAME)
    rooms, tokens = seed(url)
    slots = bookable_slots(url, rooms)
    total = min(total, len(slots))
    day = date.today() + timedelta(days=40)
    while day.weekday() > 4:  # an ordinary weekday, open 09:00–21:00
        day += timedelta(days=1)
    day = day.isoformat()
    env = {"BOOKING_MAX_UPCOMING": "1000000", "BOOKING_MAX_HOURS_PER_WEEK": "100000"}
    with GunicornServer(url, env=env) as server:
        baselines = measure_baselines(server, rooms, total)
        booking = run_load(server, booking_request(slots, tokens), total)
        search = latency(server, lambda i: Request("GET", f"/api/v1/rooms/available?start={day}T10:00&end={day}T12:00"))
        whole_day = latency(
            server, lambda i: Request("GET", f"/api/v1/rooms/available?start={day}T09:00&end={day}T21:00")
        )
        grid = latency(server, lambda i: Request("GET", f"/bookings/find?date={day}"))
        schedule = latency(server, lambda i: Request("GET", f"/api/v1/rooms/{rooms[0]}/schedule?date={day}"))
        refused, refused_plain = refusals(server, slots, tokens)
        time_timeline(server, day)
    stored, overlaps = check_no_overlap(url)
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print_results(
        f"{label}: {total} requests per row at 64 clients, gunicorn 4 workers",
        [
            ("trivial JSON route", baselines["trivial"]),
            ("guarded insert (lock, count, insert)", baselines["guarded"]),
            ("POST /api/v1/bookings", booking),
        ],
        baselines,
    )
    print(
        f"{'':38} booking POST / guarded insert = {booking.throughput / baselines['guarded'].throughput:.2f} "
        f"(target ≥ 0.5); 5xx: {booking.server_errors}; holding bookings {stored}, overlapping pairs {overlaps}"
    )
    print(f"-- one client, {STORED:,} bookings stored, day {day}:")
    for name, result in (
        ("rooms/available, both homes, 10–12", search),
        ("rooms/available, both homes, 09–21", whole_day),
        ("find page: timelines of both homes", grid),
        ("rooms/{id}/schedule of a day", schedule),
        ("refused, no alternatives (baseline)", refused_plain),
        ("refused with its alternatives", refused),
    ):
        print(f"   {name:38} p50 {result.p50:6.1f} ms   p99 {result.p99:6.1f} ms   statuses {dict(result.statuses)}")
    print(
        f"{'':38} refused with alternatives p50 {refused.p50:.1f} ms (target ≤ 30 ms), "
        f"{refused.p50 - refused_plain.p50:+.1f} ms over the refusal without them"
    )
    if kind == "postgresql":
        drop_postgres(DB_NAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=2000, help="requests per load row (default 2000)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            run(kind, args.total)


if __name__ == "__main__":
    main()
