"""Booking benchmark on gunicorn (4 workers), SQLite then PostgreSQL, in one run.

Prints, per database: the booking POST's throughput at 64 concurrent clients next to the two
baselines (a trivial JSON route, a minimal guarded insert) with the ratios, the latency of an
availability search for one day across both homes with 50,000 bookings stored, the find page's
timeline as a logged-in talent (their own booking shown as "yours"), and a booking refused for a
clash with its alternatives next to a refusal without them.

Targets, printed beside the figures: booking POST ≥ 0.8 × the guarded insert; the find page's
timeline p50 ≤ 30 ms; a refusal with its alternatives p50 ≤ 30 ms. The script exits 1 when one is
missed (figures depend on the machine: run it on a quiet one).

    .venv/bin/python bench/bench_booking.py [--total 2000] [--only sqlite|postgresql]

The guarded insert (lock, count, insert) is measured before the booking load and again after it,
and the ratio is taken against both runs together (`common.guarded_again`), so that a drift of the
machine's speed during the run does not decide it. Each load run is timed on warm workers
(`common.warm_up`): 200 bookings of the horizon's last days are made first. Every booking request
is valid and aimed at a distinct free slot, so each should answer 201; the per-talent quota is
lifted on the server (BOOKING_MAX_UPCOMING, BOOKING_MAX_HOURS_PER_WEEK) so that 64 talents can
make thousands of bookings, while every rule, the quota query included, still runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from datetime import UTC, date, datetime, timedelta

from common import (
    WARM_UP,
    GunicornServer,
    LoadResult,
    Request,
    _fetch,
    app_for,
    drop_postgres,
    fresh_database,
    guarded_again,
    latency,
    measure_baselines,
    print_results,
    run_load,
    trivial_request,
    warm_up,
)

STORED = 50_000
TIMELINE_TARGET_MS = 30.0
REFUSAL_TARGET_MS = 30.0
RATIO_TARGET = 0.8
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


def refusals(server, slot, tokens):
    """Latency of a booking refused for a clash (409, with its alternatives: both homes' busy time of
    two days read and searched) next to one refused for its length (422 too_long, none), on the last
    slot the load run booked: the run fills the days in order, so free time lies after it."""
    room, start, end = slot
    headers = {"Authorization": f"Bearer {tokens[1]}"}
    body = {"room_id": room, "start": start, "end": end, "title": "Bench", "purpose": "seminar", "attendees": 2}
    too_long = body | {"end": (datetime.fromisoformat(start) + timedelta(hours=6)).isoformat()}
    status, answer = fetch(server, Request("POST", "/api/v1/bookings", body, headers))
    if status != 409 or not json.loads(answer)["error"].get("alternatives"):
        raise SystemExit(f"the clash was not refused with alternatives (status {status})")
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


def talent_session(url: str, day: str) -> dict:
    """The Cookie header of a logged-in talent (bench talent 1), who holds one of the stored bookings
    of `day` in a room for 6, so that the timeline shows it as "yours"."""
    from app.extensions import db
    from app.models import Booking, Room, User
    from app.timezones import local_day_bounds, parse_date

    app = app_for(url)
    with app.app_context():
        talent = db.session.scalar(db.select(User).where(User.email == "bench1@example.com"))
        start, end = local_day_bounds(parse_date(day))
        booking = db.session.scalar(
            db.select(Booking)
            .join(Room)
            .where(Room.capacity >= 6, Booking.starts_at >= start, Booking.starts_at < end)
            .order_by(Booking.id)
        )
        booking.user_id = talent.id
        db.session.commit()
        with app.test_client() as client:
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = talent.get_id(), True
            cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        db.engine.dispose()
    return {"Cookie": f"{cookie.key}={cookie.value}"}


def time_timeline(server: GunicornServer, day: str, cookie: dict) -> tuple[LoadResult, list[str]]:
    """The find page's timelines of both homes for an afternoon search, as a logged-in talent (one
    client, 50,000 bookings stored), beside a baseline of the same run: the trivial route, and the
    find page with no time asked. Returns the searched page's result and the lines to print."""
    path = f"/bookings/find?date={day}&start=14:00&end=16:00&min_capacity=6"
    status, body = fetch(server, Request("GET", path, headers=cookie))
    if status != 200 or b"tl-block tl-yours" not in body or b"tl-searched" not in body:
        raise SystemExit(f"the find page did not show the talent's timeline (status {status})")
    baseline = latency(server, trivial_request)
    plain = latency(server, lambda i: Request("GET", f"/bookings/find?date={day}", headers=cookie))
    searched = latency(server, lambda i: Request("GET", path, headers=cookie))
    lines = [f"-- find page timeline, logged-in talent, one client, {STORED:,} bookings stored, day {day}:"]
    for name, result in (
        ("baseline: trivial JSON route", baseline),
        ("find page, no time asked", plain),
        ("find page timeline, 14–16, 6 people", searched),
    ):
        lines.append(
            f"   {name:38} p50 {result.p50:6.1f} ms   p99 {result.p99:6.1f} ms   statuses {dict(result.statuses)}"
        )
    return searched, lines


def fetch(server: GunicornServer, req: Request) -> tuple[int, bytes]:
    return asyncio.run(_fetch(server.port, req))


def verdict(good: bool) -> str:
    return "ok" if good else "MISSED"


def run(kind: str, total: int) -> bool:
    """Measures one database; True when every target is met."""
    url = fresh_database(kind, DB_NAME)
    rooms, tokens = seed(url)
    slots = bookable_slots(url, rooms)
    total = min(total, len(slots) - WARM_UP)
    day = date.today() + timedelta(days=40)
    while day.weekday() > 4:  # an ordinary weekday, open 09:00–21:00
        day += timedelta(days=1)
    day = day.isoformat()
    cookie = talent_session(url, day)
    env = {"BOOKING_MAX_UPCOMING": "1000000", "BOOKING_MAX_HOURS_PER_WEEK": "100000"}
    with GunicornServer(url, env=env) as server:
        baselines = measure_baselines(server, rooms, total)
        warm_up(server, booking_request(slots[-WARM_UP:], tokens))  # the horizon's last days, apart from the run's
        booking = run_load(server, booking_request(slots, tokens), total)
        guarded_again(server, rooms, baselines)  # the baseline brackets the load
        search = latency(server, lambda i: Request("GET", f"/api/v1/rooms/available?start={day}T10:00&end={day}T12:00"))
        whole_day = latency(
            server, lambda i: Request("GET", f"/api/v1/rooms/available?start={day}T09:00&end={day}T21:00")
        )
        grid = latency(server, lambda i: Request("GET", f"/bookings/find?date={day}"))
        schedule = latency(server, lambda i: Request("GET", f"/api/v1/rooms/{rooms[0]}/schedule?date={day}"))
        refused, refused_plain = refusals(server, slots[total - 1], tokens)
        timeline, timeline_lines = time_timeline(server, day, cookie)
    stored, overlaps = check_no_overlap(url)
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print_results(
        f"{label}: {total} requests per row at 64 clients, gunicorn 4 workers",
        [
            ("trivial JSON route", baselines["trivial"]),
            ("guarded insert, both runs", baselines["guarded"]),
            ("POST /api/v1/bookings", booking),
        ],
        baselines,
    )
    ratio = booking.throughput / baselines["guarded"].throughput
    ratio_ok = ratio >= RATIO_TARGET and booking.server_errors == 0 and overlaps == 0
    print(
        f"{'':38} booking POST / guarded insert = {ratio:.2f} (target ≥ {RATIO_TARGET}: {verdict(ratio_ok)}); "
        f"5xx: {booking.server_errors}; holding bookings {stored}, overlapping pairs {overlaps}"
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
    refused_ok = refused.p50 <= REFUSAL_TARGET_MS
    print(
        f"{'':38} refused with alternatives p50 {refused.p50:.1f} ms (target ≤ {REFUSAL_TARGET_MS:.0f} ms: "
        f"{verdict(refused_ok)}), {refused.p50 - refused_plain.p50:+.1f} ms over the refusal without them"
    )
    print("\n".join(timeline_lines))
    timeline_ok = timeline.p50 <= TIMELINE_TARGET_MS
    print(
        f"{'':38} find page timeline p50 {timeline.p50:.1f} ms (target ≤ {TIMELINE_TARGET_MS:.0f} ms: "
        f"{verdict(timeline_ok)})"
    )
    if kind == "postgresql":
        drop_postgres(DB_NAME)
    return ratio_ok and refused_ok and timeline_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=2000, help="requests per load row (default 2000)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    ok = True
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            ok &= run(kind, args.total)
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
