"""Sign-up rush on gunicorn (4 workers), SQLite then PostgreSQL, in one run.

2,000 talents, each with a token, try to sign up for one event of 100 places at 64 concurrent
clients. Prints throughput and p50/p99 next to the booking benchmark's baselines (a trivial JSON
route and a minimal guarded insert) measured in the same run, and checks: exactly 100 confirmed
places, 1,900 waiting with positions 1..1900, zero 5xx. The guarded insert is measured before the
rush and again after it, and the ratio is taken against both runs together
(`common.guarded_again`). Each is timed on warm workers: before the rush, 200 of the talents sign
up for another event of 100 places (`common.warm_up`). To show where the p99 comes from, it also
prints when the slowest 1 % of the rush began, and the p99 of the requests begun after its first
second, when the places are taken and the waiting list's steady flow has begun.

    .venv/bin/python bench/bench_signup.py [--attempts 2000] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta

from common import (
    WARM_UP,
    GunicornServer,
    Request,
    app_for,
    drop_postgres,
    fresh_database,
    guarded_again,
    measure_baselines,
    percentile,
    print_results,
    published_event,
    run_load,
    warm_up,
)

PLACES = 100
DB_NAME = "bench_signup"
RATIO_TARGET = 0.9
P99_TARGET_MS = 250.0
SETTLED_AFTER_S = 1.0  # where the report splits the rush's start (the places) from the waiting list's steady flow


def seed(url: str, attempts: int) -> tuple[int, int, list[int], list[str]]:
    """Both homes, `attempts` verified talents with tokens, and two published events of 100 places:
    the rush's, and another that warms the workers up (see `common.warm_up`) before it."""
    from app.auth.tokens import issue_api_token
    from app.demo import seed_homes
    from app.extensions import db
    from app.models import Room, User
    from app.timezones import now_utc

    app = app_for(url)
    with app.app_context():
        seed_homes()
        organiser = User(
            name="Bench organiser",
            email="organiser@example.com",
            password_hash="!",
            role="organiser",
            district="liwan",
            calendar_token="bench-organiser",
        )
        db.session.add(organiser)
        db.session.execute(
            db.insert(User),
            [
                {
                    "name": f"Talent {n}",
                    "email": f"t{n}@example.com",
                    "password_hash": "!",
                    "role": "talent",
                    "district": "liwan" if n % 2 else "nanhai",
                    "talent_status": "verified",
                    "credential_issuer": "liwan_yingcai" if n % 2 else "nanhai_kunpeng",
                    "credential_number": f"S{n:06d}",
                    "calendar_token": f"bench-signup-{n}",
                    "active": True,
                }
                for n in range(attempts)
            ],
        )
        db.session.flush()
        start = (now_utc() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
        events = [published_event(organiser, title, PLACES, start) for title in ("Rush", "Warm-up")]
        talents = list(db.session.scalars(db.select(User).where(User.role == "talent").order_by(User.id)))
        tokens = [issue_api_token(user, 30) for user in talents]
        rooms = [r.id for r in db.session.scalars(db.select(Room).order_by(Room.id))]
        db.session.commit()
        event_ids = [event.id for event in events]
        db.engine.dispose()
    return *event_ids, rooms, tokens


def check(url: str, event_id: int) -> tuple[int, list[int]]:
    from app.events import places
    from app.extensions import db
    from app.models import Registration

    app = app_for(url)
    with app.app_context():
        confirmed = places.confirmed_places(event_id)
        waiting = db.session.scalars(
            db.select(Registration).where(Registration.event_id == event_id, Registration.status == "waitlisted")
        )
        positions = sorted(places.waitlist_position(r) for r in waiting)
        db.engine.dispose()
    return confirmed, positions


def run(kind: str, attempts: int) -> bool:
    """Measures one database; True when every target is met."""
    url = fresh_database(kind, DB_NAME)
    event_id, warm_up_id, rooms, tokens = seed(url, attempts)

    def sign_up_for(event: int) -> Callable[[int], Request]:
        def make(i: int) -> Request:
            body, token = {"consent": True}, {"Authorization": f"Bearer {tokens[i]}"}
            return Request("POST", f"/api/v1/events/{event}/registrations", body, token)

        return make

    with GunicornServer(url) as server:
        baselines = measure_baselines(server, rooms, attempts)
        warm_up(server, sign_up_for(warm_up_id), min(WARM_UP, attempts))  # places taken, then waiting
        rush = run_load(server, sign_up_for(event_id), attempts)
        guarded_again(server, rooms, baselines)  # the baseline brackets the rush
    confirmed, positions = check(url, event_id)
    title = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print_results(
        title,
        [
            ("trivial JSON route", baselines["trivial"]),
            ("guarded insert, both runs", baselines["guarded"]),
            ("POST /events/{id}/registrations", rush),
        ],
        baselines,
    )
    ratio = rush.throughput / baselines["guarded"].throughput
    ratio_ok, p99_ok = ratio >= RATIO_TARGET, rush.p99 <= P99_TARGET_MS
    in_order = positions == list(range(1, len(positions) + 1))
    print(
        f"  sign-up ÷ guarded insert: {ratio:.2f} (target ≥ {RATIO_TARGET}: {'ok' if ratio_ok else 'MISSED'}); "
        f"p99 {rush.p99:.0f} ms (target ≤ {P99_TARGET_MS:.0f}: {'ok' if p99_ok else 'MISSED'})"
    )
    earliest, latest = rush.slowest_began()
    settled_p99 = percentile(rush.begun_after(SETTLED_AFTER_S), 99)
    print(
        f"  the slowest 1 % began {earliest:.2f}–{latest:.2f} s into the {rush.seconds:.1f} s rush "
        f"(the first {PLACES} answers take the places); "
        f"p99 of the requests begun after its first {SETTLED_AFTER_S:.0f} s: {settled_p99:.0f} ms"
    )
    print(
        f"  confirmed places {confirmed} of {PLACES}; waiting positions 1..{len(positions)} "
        f"{'in order' if in_order else 'NOT IN ORDER'}; "
        f"5xx: {rush.server_errors}"
    )
    if kind == "postgresql":
        drop_postgres(DB_NAME)
    return ratio_ok and p99_ok and in_order and confirmed == PLACES and rush.server_errors == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    ok = True
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            ok &= run(kind, args.attempts)
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
