"""What one booking POST and one sign-up POST cost: statements per phase and time under the lock.

For each of SQLite and PostgreSQL, an in-process app (no gunicorn) answers, through Flask's test
client, the bare guarded insert (/bench/guarded-insert), booking POSTs (/api/v1/bookings) and
sign-up POSTs (/api/v1/events/{id}/registrations, first while places are free, then onto the
waiting list). SQLAlchemy's cursor and transaction events count every statement a request sends:

- before lock: statements before the request takes its first lock (PostgreSQL: the first
  SELECT … FOR UPDATE [OF …]; SQLite: BEGIN IMMEDIATE, which takes the database's write lock);
- under lock: statements from that lock to the commit that ends it, the COMMIT included;
- ms under lock: from sending the locking statement to the end of its commit (median of the runs).

    .venv/bin/python bench/profile_writes.py [--runs 20] [--only sqlite|postgresql] [--sql]

--sql lists the statements of the last request of each kind, each with its phase.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from common import app_for, drop_postgres, fresh_database, published_event

DB_NAME = os.environ.get("PROFILE_DB", "profile_writes")
os.environ["BENCHMARK_ROUTES"] = "1"


@dataclass
class Statement:
    sql: str
    began: float
    ended: float = 0.0


@dataclass
class Trace:
    """The statements of one request, in order; COMMIT and ROLLBACK recorded as statements too."""

    statements: list[Statement] = field(default_factory=list)
    active: bool = False

    def add(self, sql: str) -> Statement:
        statement = Statement(" ".join(sql.split()), time.perf_counter())
        if self.active:
            self.statements.append(statement)
        return statement

    def phases(self) -> dict:
        """{"before": n, "under": n, "ms_under": t}: split at the first lock."""
        first = next((i for i, s in enumerate(self.statements) if _locks(s.sql)), None)
        if first is None:
            return {"before": len(self.statements), "under": 0, "ms_under": 0.0}
        end = next(
            (i for i in range(first, len(self.statements)) if self.statements[i].sql in ("COMMIT", "ROLLBACK")),
            len(self.statements) - 1,
        )
        lock, done = self.statements[first], self.statements[end]
        return {"before": first, "under": end - first + 1, "ms_under": (done.ended - lock.began) * 1000}


def _locks(sql: str) -> bool:
    """A statement that takes a row lock: FOR UPDATE (OF a table: a booking's read of its booker),
    or SQLite's write lock."""
    return sql.startswith("BEGIN IMMEDIATE") or re.search(r" FOR UPDATE( OF \w+)?$", sql) is not None


def instrument(engine, trace: Trace) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from app.database import WRITE_LOCKED_AT

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["trace"] = trace.add(statement)

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        conn.info.pop("trace").ended = time.perf_counter()

    # SQLite's write lock is taken by tries the app makes on the driver's connection (app.database.
    # take_write_lock), which leaves the moment it succeeded in the connection's info.
    @event.listens_for(engine, "begin")
    def _begun(conn):
        taken = conn.info.pop(WRITE_LOCKED_AT, None)
        if taken is not None:
            statement = trace.add("BEGIN IMMEDIATE")
            statement.began = statement.ended = taken

    # The engine's commit/rollback events fire before the database's COMMIT; the session's
    # after_commit/after_rollback ones after it.
    ending: list[Statement] = []
    event.listen(engine, "commit", lambda conn: ending.append(trace.add("COMMIT")))
    event.listen(engine, "rollback", lambda conn: ending.append(trace.add("ROLLBACK")))

    def _ended(*_args):
        while ending:
            ending.pop().ended = time.perf_counter()

    event.listen(Session, "after_commit", _ended)
    event.listen(Session, "after_rollback", _ended)


def seed(app, talents: int, places: int):
    """Both homes, `talents` verified talents with tokens, one published event of `places` places,
    and free half-hour slots (room, start, end) within opening hours, days 1–30 ahead."""
    from app.auth.tokens import issue_api_token
    from app.demo import seed_homes
    from app.extensions import db
    from app.homes.opening import opening_interval
    from app.models import Room, User
    from app.timezones import local_today, now_utc, to_local

    with app.app_context():
        seed_homes()
        organiser = User(
            name="Organiser",
            email="organiser@example.com",
            password_hash="!",
            role="organiser",
            district="liwan",
            calendar_token="profile-organiser",
        )
        db.session.add(organiser)
        users = [
            User(
                name=f"Talent {n}",
                email=f"t{n}@example.com",
                password_hash="!",
                role="talent",
                district="liwan",
                talent_status="verified",
                credential_issuer="liwan_yingcai",
                credential_number=f"P{n:05d}",
                calendar_token=f"profile-{n}",
            )
            for n in range(talents)
        ]
        db.session.add_all(users)
        db.session.flush()
        tokens = [issue_api_token(user, 30) for user in users]
        start = (now_utc() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
        event = published_event(organiser, "Walk", places, start)
        slots = []
        for room in db.session.scalars(db.select(Room).order_by(Room.id)):
            for n in range(1, 31):
                interval = opening_interval(room.home, local_today() + timedelta(days=n))
                if interval is not None:
                    begin = interval[0]
                    slots.append((room.id, to_local(begin).isoformat(), to_local(begin + timedelta(minutes=30))))
        db.session.commit()
        event_id = event.id
    slots = [(room, start, end.isoformat()) for room, start, end in slots]
    return tokens, event_id, slots


def measure(client, trace: Trace, send, runs: int) -> tuple[dict, list[Statement], list[int]]:
    """Run `send(i)` `runs` times; the phases of the last run, the median time under lock, statuses."""
    times, statuses, last = [], [], {}
    for i in range(runs):
        trace.statements.clear()
        trace.active = True
        response = send(i)
        trace.active = False
        statuses.append(response.status_code)
        last = trace.phases()
        times.append(last["ms_under"])
    last["ms_under"] = statistics.median(times)
    return last, list(trace.statements), statuses


def run(kind: str, runs: int, show_sql: bool) -> None:
    from app.extensions import db

    url = fresh_database(kind, DB_NAME)
    # The quota is lifted (as in bench_booking.py) so that one talent books every run; its query still runs.
    app = app_for(url, BOOKING_MAX_UPCOMING=1_000_000, BOOKING_MAX_HOURS_PER_WEEK=100_000)
    places = runs + 2
    tokens, event_id, slots = seed(app, talents=2 * (runs + 2) + 2, places=places)
    trace = Trace()
    with app.app_context():
        instrument(db.engine, trace)
    client = app.test_client()

    def guarded(i):
        day = (date(2036, 1, 1) + timedelta(days=i)).isoformat()
        body = {"room_id": slots[0][0], "start": f"{day}T10:00:00+08:00", "end": f"{day}T10:30:00+08:00"}
        return client.post("/bench/guarded-insert", json=body)

    def booking(i):
        room, start, end = slots[i]
        body = {"room_id": room, "start": start, "end": end, "title": "Talk", "purpose": "seminar", "attendees": 2}
        return client.post("/api/v1/bookings", json=body, headers={"Authorization": f"Bearer {tokens[0]}"})

    signed = iter(range(1, len(tokens)))

    def sign_up(_i):
        token = tokens[next(signed)]
        return client.post(
            f"/api/v1/events/{event_id}/registrations",
            json={"consent": True},
            headers={"Authorization": f"Bearer {token}"},
        )

    rows = []
    listings = {}
    for label, send in (
        ("guarded insert (baseline)", guarded),
        ("booking POST", booking),
        ("sign-up POST, a place", sign_up),
        ("sign-up POST, waiting list", sign_up),
    ):
        phases, statements, statuses = measure(client, trace, send, places if "place" in label else runs)
        rows.append((label, phases, statuses))
        listings[label] = statements
    title = "SQLite" if kind == "sqlite" else "PostgreSQL"
    print(f"\n== {title}: statements per request (last of {runs}), median ms under lock ==")
    print(f"{'':30} {'before lock':>12} {'under lock':>11} {'total':>6} {'ms under lock':>14}  statuses")
    for label, phases, statuses in rows:
        shown = " ".join(f"{code}×{statuses.count(code)}" for code in sorted(set(statuses)))
        total = phases["before"] + phases["under"]
        print(f"{label:30} {phases['before']:12d} {phases['under']:11d} {total:6d} {phases['ms_under']:14.2f}  {shown}")
    if show_sql:
        for label, statements in listings.items():
            print(f"\n-- {title}, {label}:")
            first = next((i for i, s in enumerate(statements) if _locks(s.sql)), len(statements))
            for i, statement in enumerate(statements):
                phase = "lock " if i >= first else "     "
                print(f"  {phase}{(statement.ended - statement.began) * 1000:6.2f} ms  {_short(statement.sql)}")
    with app.app_context():
        db.engine.dispose()
    if kind == "postgresql":
        drop_postgres(DB_NAME)


def _short(sql: str, width: int = 150) -> str:
    sql = re.sub(r"SELECT .*? FROM", "SELECT … FROM", sql, count=1) if len(sql) > width else sql
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--sql", action="store_true", help="list the statements of each kind's last request")
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            run(kind, args.runs, args.sql)


if __name__ == "__main__":
    main()
