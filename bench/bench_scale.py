"""Costs at scale: do point queries stay flat from 10,000 to 1,000,000 bookings?

    .venv/bin/python bench/bench_scale.py                     # SQLite, 10k → 100k → 1M
    .venv/bin/python bench/bench_scale.py --db postgresql --sizes 10000,100000

For each size the database is grown by bulk inserts (bookings, with users, events, sessions and
registrations in proportion: one event per 50 bookings, ten registrations per event), then each
measure runs in-process through the app's test client (the code path of a request, without HTTP),
one request after another, and prints p50/p99 in ms. The first size is the baseline: a point query
passes when its p50 is ≤ 20 ms and ≤ 1.5× its p50 at the first size. The last step serves the
public feed of 10,000 events from a one-worker gunicorn and prints the worker's peak RSS (target
≤ 200 MB). The script exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import GunicornServer, Request, app_for, drop_postgres, fresh_database, run_load, workers_peak_rss_mb

POINT_TARGET_MS = 20.0
POINT_GROWTH = 1.5
RSS_TARGET_MB = 200.0
SLOT = timedelta(minutes=30)
SLOTS_PER_DAY = 24  # 09:00–21:00 local, 30-minute slots
FUTURE_DAYS = 28
CHUNK = 20_000
# The measured talent (the first user) holds the same bookings and sign-ups at every size: booking
# numbers spread over the first size's upcoming and past slots, and the first events' sign-ups.
TALENT_BOOKINGS = frozenset(range(3, 10_000, 500))
TALENT_SIGNUPS = 10
RESULTS = Path(__file__).resolve().parent / "results"


# Seeding -------------------------------------------------------------------------------------


def local_slot(day: datetime, n: int) -> datetime:
    """Slot n of a day (09:00 + n × 30 min, Asia/Shanghai), in UTC."""
    return day.replace(hour=1, minute=0, second=0, microsecond=0) + n * SLOT


class Grower:
    """Adds rows to a database in bulk, remembering where it stopped so that sizes build on each other."""

    def __init__(self, app):
        from app.demo import seed_accounts, seed_homes
        from app.extensions import db
        from app.models import Room, User

        self.app, self.db = app, db
        with app.app_context():
            seed_homes()
            seed_accounts()
            db.session.commit()
            self.rooms = [(r.id, r.home.district) for r in db.session.scalars(db.select(Room).order_by(Room.id))]
            self.organiser = db.session.scalar(db.select(User).where(User.email == "organiser.liwan@example.com")).id
        self.bookings = 0
        self.users: list[int] = []
        self.today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.roster_event: int | None = None

    def _insert(self, model, rows: list[dict]) -> None:
        """Rows in bulk: COPY on PostgreSQL, a Core executemany (one prepared INSERT) on SQLite."""
        if not rows:
            return
        table = model.__table__
        if self.db.session.get_bind().dialect.name == "postgresql" and not any(
            isinstance(c.type, self.db.JSON) for c in table.columns if c.name in rows[0]
        ):
            self._copy(table, rows)
            return
        for i in range(0, len(rows), CHUNK):
            self.db.session.execute(table.insert(), rows[i : i + CHUNK])

    def _copy(self, table, rows: list[dict]) -> None:
        """PostgreSQL COPY of rows into table, the columns' Python-side defaults filled in."""
        defaults = {}
        for column in table.columns:
            if column.name in rows[0] or column.default is None or column.primary_key:
                continue
            arg = column.default.arg
            defaults[column.name] = arg(None) if callable(arg) else arg
        names = [*rows[0], *defaults]
        extra = list(defaults.values())
        cursor = self.db.session.connection().connection.driver_connection.cursor()
        columns = ", ".join(f'"{n}"' for n in names)
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([*row.values(), *extra])

    def _add_users(self, count: int) -> None:
        from werkzeug.security import generate_password_hash

        from app.models import User

        start = len(self.users)
        password = generate_password_hash("Talent12345")
        rows = [
            {
                "name": f"人才{n}",
                "email": f"scale{n}@example.com",
                "password_hash": password,
                "role": "talent",
                "district": ("liwan", "nanhai")[n % 2],
                "talent_status": "verified",
                "calendar_token": f"scale-token-{n:09d}",
                "session_stamp": "s",
            }
            for n in range(start, start + count)
        ]
        self._insert(User, rows)
        self.users += list(
            self.db.session.scalars(
                self.db.select(User.id).where(User.email.like("scale%@example.com")).order_by(User.id).offset(start)
            )
        )

    def _other(self, n: int) -> int:
        """A user other than the measured talent (users[0]), in turn."""
        return self.users[1 + n % (len(self.users) - 1)]

    def _slot(self, index: int) -> tuple[int, datetime]:
        """Booking number `index` → (room, start): the next four weeks every other slot (so free
        slots remain to book), then day by day into the past, every slot."""
        rooms = len(self.rooms)
        future = FUTURE_DAYS * SLOTS_PER_DAY // 2 * rooms
        if index < future:
            room, n = index % rooms, index // rooms
            day = self.today + timedelta(days=1 + n // (SLOTS_PER_DAY // 2))
            return room, local_slot(day, 2 * (n % (SLOTS_PER_DAY // 2)))
        index -= future
        room, n = index % rooms, index // rooms
        day = self.today - timedelta(days=1 + n // SLOTS_PER_DAY)
        return room, local_slot(day, n % SLOTS_PER_DAY)

    def grow(self, size: int) -> float:
        """Grow to `size` bookings; returns the seconds it took."""
        from app.models import Booking

        began = time.perf_counter()
        with self.app.app_context():
            wanted_users = max(2500, size // 20)
            if len(self.users) < wanted_users:
                self._add_users(wanted_users - len(self.users))
            rows = []
            for i in range(self.bookings, size):
                room, start = self._slot(i)
                past = start < self.today
                rows.append(
                    {
                        "room_id": self.rooms[room][0],
                        "user_id": self.users[0] if i in TALENT_BOOKINGS else self._other(i * 7),
                        "starts_at": start,
                        "ends_at": start + SLOT,
                        "title": "研讨",
                        "purpose": "seminar",
                        "attendees": 1 + i % 6,
                        "status": "no_show" if past and i % 10 == 0 else "confirmed",
                        "checked_in_at": start + timedelta(minutes=5) if past and i % 10 else None,
                    }
                )
            self._insert(Booking, rows)
            self._add_events(self.bookings // 50, size // 50)
            self.bookings = size
            if self.roster_event is None:
                self.roster_event = self._add_roster_event()
            self.db.session.commit()
            self._analyse()
        return time.perf_counter() - began

    def _add_events(self, first: int, last: int) -> None:
        from app.models import Event, EventSession, Registration

        events = []
        for n in range(first, last):
            start = self.today - timedelta(days=n % 700, hours=-2) if n % 5 else self.today + timedelta(days=1 + n % 60)
            events.append(
                {
                    "kind": ("exchange", "study_tour", "youth_camp")[n % 3],
                    "title": f"交流活动 {n}",
                    "description": "",
                    "host": ("liwan", "nanhai", "joint")[n % 3],
                    "status": "published",
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=2),
                    "address": "荔湾区",
                    "capacity": 30,
                    "itinerary": [],
                    "min_age": 8 if n % 3 == 2 else None,
                    "max_age": 15 if n % 3 == 2 else None,
                    "published_at": start - timedelta(days=14),
                }
            )
        before = self.db.session.scalar(self.db.select(self.db.func.coalesce(self.db.func.max(Event.id), 0)))
        self._insert(Event, events)
        ids = list(self.db.session.scalars(self.db.select(Event.id).where(Event.id > before).order_by(Event.id)))
        starts = {i: e["starts_at"] for i, e in zip(ids, events, strict=False)}
        self._insert(
            EventSession,
            [{"event_id": i, "starts_at": s, "ends_at": s + timedelta(hours=2)} for i, s in starts.items()],
        )
        rows = []
        for position, i in enumerate(ids):
            for k in range(10):
                talent_signs_up = k == 0 and first + position < TALENT_SIGNUPS
                user = self.users[0] if talent_signs_up else self._other(i * 10 + k)
                rows.append(
                    {
                        "event_id": i,
                        "user_id": user,
                        "status": "confirmed",
                        "places": 1,
                        "district": ("liwan", "nanhai")[k % 2],
                        "check_in_code": f"S{i:07d}{k:02d}",
                        "confirmed_at": starts[i] - timedelta(days=3),
                    }
                )
        self._insert(Registration, rows)

    def _add_roster_event(self) -> int:
        """One event with 2,000 registrants, for the roster export."""
        from app.models import Event, EventSession, Registration

        start = self.today + timedelta(days=3, hours=2)
        event = Event(
            kind="exchange", title="大型交流会", host="joint", status="published", starts_at=start,
            ends_at=start + timedelta(hours=3), address="南海区", capacity=5000, created_by_id=self.organiser,
        )  # fmt: skip
        self.db.session.add(event)
        self.db.session.flush()
        self.db.session.add(EventSession(event_id=event.id, starts_at=start, ends_at=event.ends_at))
        rows = [
            {
                "event_id": event.id,
                "user_id": self._other(k),
                "status": "confirmed",
                "places": 1,
                "district": ("liwan", "nanhai")[k % 2],
                "check_in_code": f"R{k:08d}",
                "confirmed_at": start - timedelta(days=1),
            }
            for k in range(2000)
        ]
        self._insert(Registration, rows)
        return event.id

    def _analyse(self) -> None:
        """Bring the planner's statistics up to date after the bulk load; on PostgreSQL also vacuum,
        as autovacuum would soon after so many inserts: otherwise it does so in the background while
        the queries are timed (seen: every point query at 1,000,000 half as slow again, for a while)."""
        with self.db.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")
            else:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()


# Measuring -----------------------------------------------------------------------------------


def timed(client, path: str, repeat: int, method: str = "GET", **kwargs) -> tuple[float, float, int]:
    """(p50, p99, status) of `repeat` requests to path, after two warm-up requests."""
    for _ in range(2):
        status = client.open(path, method=method, **kwargs).status_code
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        status = client.open(path, method=method, **kwargs).status_code
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))], status


class Statements:
    """The SQL statements the app runs while `label` is measured (with their parameters)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine, self.current, self.seen = engine, None, {}
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, executemany) -> None:
        if self.current is not None:
            self.seen.setdefault(self.current, []).append((statement, None if executemany else parameters))

    def per_request(self, label: str, requests: int) -> float:
        return len(self.seen.get(label, [])) / max(requests, 1)

    def plans(self, label: str) -> list[tuple[str, str]]:
        """(statement, plan) of each distinct SELECT over the growing tables."""
        kind, done, found = self.engine.dialect.name, set(), []
        prefix = "EXPLAIN (ANALYZE, COSTS OFF) " if kind == "postgresql" else "EXPLAIN QUERY PLAN "
        for statement, parameters in self.seen.get(label, []):
            text = " ".join(statement.split())
            if text in done or not text.upper().startswith("SELECT") or parameters is None:
                continue
            if not any(f"FROM {t}" in text or f"JOIN {t}" in text for t in GROWING):
                continue
            done.add(text)
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                conn.rollback()
            lines = [r[0] for r in rows] if kind == "postgresql" else [f"{'  ' * _depth(rows, r)}{r[-1]}" for r in rows]
            found.append((text, "\n".join(lines)))
        return found


GROWING = ("bookings", "events", "event_sessions", "registrations", "check_ins", "users", "notifications")


def _depth(rows, row) -> int:
    """Indent of an EXPLAIN QUERY PLAN row (id, parent, notused, detail)."""
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent:
        depth, parent = depth + 1, parents.get(parent, 0)
    return depth


def measure(app, grower: Grower, repeat: int, statements: Statements | None = None) -> dict:
    from app.extensions import db
    from app.models import User

    tomorrow = (grower.today + timedelta(days=1)).astimezone().date().isoformat()
    start, end = f"{tomorrow}T14:30:00+08:00", f"{tomorrow}T15:30:00+08:00"
    results: dict[str, tuple[float, float, int]] = {}

    def run(label: str, requests: int, do) -> None:
        if statements is not None:
            statements.current = label
        began = time.perf_counter()
        results[label] = do()
        if statements is not None:
            statements.current = None
            results[label] = (*results[label], statements.per_request(label, requests))
        print(f"  {label}: p50 {results[label][0]:.1f} ms ({time.perf_counter() - began:.0f} s)", flush=True)

    with app.app_context():
        from app.models import Booking, Registration

        talent = db.session.get(User, grower.users[0])
        talent_email, talent_token = talent.email, talent.calendar_token
        held = db.session.scalar(db.select(db.func.count(Booking.id)).where(Booking.user_id == talent.id))
        signed = db.session.scalar(db.select(db.func.count(Registration.id)).where(Registration.user_id == talent.id))
        print(f"  the measured talent holds {held} bookings and {signed} sign-ups (the same at every size)")
    anon, staff, person = app.test_client(), app.test_client(), app.test_client()
    login = staff.post("/login", data={"email": "organiser.liwan@example.com", "password": "Organiser123"})
    assert login.status_code == 302, login.status_code
    token = person.post("/api/v1/auth/token", json={"email": talent_email, "password": "Talent12345"}).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    few, cold = max(3, repeat // 10), max(5, repeat // 4)
    for home in ("liwan", "nanhai"):
        path = f"/api/v1/rooms/available?start={start}&end={end}&home={home}".replace("+", "%2B")
        run(f"rooms/available ({home})", repeat + 2, lambda path=path: timed(anon, path, repeat))
    run("home day timeline (liwan)", repeat + 2, lambda: timed(staff, f"/homes/liwan/schedule?date={tomorrow}", repeat))
    run("talent's GET /api/v1/bookings", repeat + 2, lambda: timed(person, "/api/v1/bookings", repeat, headers=bearer))
    run("personal feed, warm", repeat + 2, lambda: timed(anon, f"/calendar/{talent_token}.ics", repeat))
    run("personal feed, cold", cold, lambda: cold_feed(app, anon, grower, talent_token, cold))
    year_ago = (grower.today - timedelta(days=365)).date().isoformat()
    run("statistics, one year", few + 2, lambda: timed(staff, f"/statistics?from={year_ago}&to={tomorrow}", few))
    run(
        "roster XLSX, 2,000 registrants",
        few + 2,
        lambda: timed(staff, f"/events/{grower.roster_event}/attendance.xlsx", few),
    )
    organiser = anon.post(
        "/api/v1/auth/token", json={"email": "organiser.liwan@example.com", "password": "Organiser123"}
    ).json["token"]
    posts = {"Authorization": f"Bearer {organiser}"}
    run("booking POST", repeat, lambda: booking_posts(anon, posts, grower, repeat))
    return results


def cold_feed(app, client, grower: Grower, token: str, repeat: int) -> tuple[float, float, int]:
    """The personal feed right after one of its bookings changed, so nothing cached can answer."""
    from app.extensions import db
    from app.models import Booking, User

    samples, status = [], 0
    for n in range(repeat):
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.calendar_token == token))
            booking = db.session.scalar(db.select(Booking).where(Booking.user_id == user.id).limit(1))
            booking.title = f"研讨 {n}"
            db.session.commit()
        began = time.perf_counter()
        status = client.get(f"/calendar/{token}.ics").status_code
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[-1], status


def booking_posts(client, headers: dict, grower: Grower, repeat: int) -> tuple[float, float, int]:
    """Organiser bookings of the free odd slots of the coming weeks (one room after another), those
    within the home's opening hours of that day (a weekend closes at 17:30)."""
    samples, statuses = [], set()
    for room_id, begins in _open_odd_slots(client.application, grower, repeat):
        body = {
            "room_id": room_id,
            "start": begins.isoformat(),
            "end": (begins + SLOT).isoformat(),
            "title": "扩容测试",
            "purpose": "seminar",
            "attendees": 2,
        }
        began = time.perf_counter()
        statuses.add(client.post("/api/v1/bookings", json=body, headers=headers).status_code)
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))], max(statuses)


def _open_odd_slots(app, grower: Grower, count: int) -> list[tuple[int, datetime]]:
    """The next `count` (room, start) of the odd slots that lie within opening hours, after those
    an earlier size posted (`grower.posted` counts the slots looked at)."""
    from app.homes.opening import opening_interval
    from app.homes.queries import home_by_district
    from app.timezones import to_local

    found, n = [], getattr(grower, "posted", 0)
    with app.app_context():
        homes = {district: home_by_district(district) for district in {d for _r, d in grower.rooms}}
        while len(found) < count:
            (room_id, district), k = grower.rooms[n % len(grower.rooms)], n // len(grower.rooms)
            day = grower.today + timedelta(days=2 + k // (SLOTS_PER_DAY // 2))
            begins = local_slot(day, 2 * (k % (SLOTS_PER_DAY // 2)) + 1)
            interval = opening_interval(homes[district], to_local(begins).date())
            if interval is not None and interval[0] <= begins and begins + SLOT <= interval[1]:
                found.append((room_id, begins))
            n += 1
    grower.posted = n
    return found


# The feed worker's memory --------------------------------------------------------------------


def feed_worker_rss(kind: str) -> float:
    """Peak RSS (MB) of a one-worker gunicorn serving the public feed of 10,000 events, cold."""
    name = "bench_scale_feed"
    url = fresh_database(kind, name)
    app = app_for(url)
    grower = Grower(app)
    with app.app_context():
        grower._add_users(200)
        grower._add_events(0, 10_000)
        grower.db.session.commit()
    with GunicornServer(url, workers=1, env={"GUNICORN_CMD_ARGS": "--timeout 300"}) as server:
        result = run_load(server, lambda _i: Request("GET", "/calendar.ics"), 1, clients=1)
        assert result.statuses.get(200) == 1, result.statuses
        peak = workers_peak_rss_mb(server)
    if kind == "postgresql":
        drop_postgres(name)
    return peak


# Report --------------------------------------------------------------------------------------

POINT_QUERIES = (
    "rooms/available (liwan)",
    "rooms/available (nanhai)",
    "home day timeline (liwan)",
    "talent's GET /api/v1/bookings",
    "personal feed, warm",
    "personal feed, cold",
    "booking POST",
)


def report(kind: str, sizes: list[int], table: dict[int, dict], seeding: dict[int, float]) -> bool:
    ok = True
    first = sizes[0]
    print(f"\n== {kind}: p50 / p99 ms [status, SQL statements a request] at each size (seeding time) ==")
    print(f"{'':34}" + "".join(f"{f'{s:,} ({seeding[s]:.0f} s)':>30}" for s in sizes) + "   target")
    for label in table[first]:
        cells, verdict = [], "   (reported, no target)"
        for size in sizes:
            p50, p99, status, per_request = table[size][label]
            cells.append(f"{p50:8.1f} / {p99:8.1f} [{status}, {per_request:4.1f}]")
        if label in POINT_QUERIES:
            last, base = table[sizes[-1]][label][0], table[first][label][0]
            good = last <= POINT_TARGET_MS and last <= POINT_GROWTH * max(base, 1.0)
            verdict = f"   p50 ≤{POINT_TARGET_MS:.0f} ms and ≤{POINT_GROWTH}× {first:,}: {'ok' if good else 'MISSED'}"
            ok &= good
        print(f"{label:34}" + "".join(f"{c:>30}" for c in cells) + verdict)
    return ok


def write_plans(kind: str, size: int, statements: Statements) -> Path:
    """The query plans of every measure's statements over the growing tables, into bench/results/."""
    path = RESULTS / f"scale-plans-{kind}-{size}.txt"
    path.parent.mkdir(exist_ok=True)
    with path.open("w") as out:
        for label in statements.seen:
            out.write(f"\n######## {label} ({size:,} bookings, {kind})\n")
            for text, plan in statements.plans(label):
                out.write(f"\n-- {text}\n{plan}\n")
    return path


def drop_indexes(url: str, names: list[str]) -> None:
    """For a comparison: the database without these indexes (the plans before they were added)."""
    app = app_for(url)
    from app.extensions import db

    with app.app_context(), db.engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        db.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="bookings at each step, comma-separated")
    parser.add_argument("--repeat", type=int, default=60, help="requests per point measure")
    parser.add_argument("--drop-indexes", default="", help="indexes to drop before seeding (plans without them)")
    parser.add_argument("--no-rss", action="store_true", help="skip the feed worker's memory")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    ok = True
    for kind in kinds:
        url = fresh_database(kind, "bench_scale")
        if args.drop_indexes:
            drop_indexes(url, args.drop_indexes.split(","))
        app = app_for(url, WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
        grower = Grower(app)
        table, seeding = {}, {}
        for size in sizes:
            seeding[size] = grower.grow(size)
            print(f"{kind}: {size:,} bookings stored ({seeding[size]:.0f} s)", flush=True)
            # A server's worker does not hold the seeding's garbage: collect it, and keep what is
            # left out of later collections, so requests are timed as a fresh worker would serve them.
            gc.collect()
            gc.freeze()
            with app.app_context():
                statements = Statements(grower.db.engine)
            table[size] = measure(app, grower, args.repeat, statements)
        with app.app_context():
            print(f"query plans at {sizes[-1]:,}: {write_plans(kind, sizes[-1], statements)}")
        ok &= report(kind, sizes, table, seeding)
        if not args.no_rss:
            rss = feed_worker_rss(kind)
            good = rss <= RSS_TARGET_MB
            ok &= good
            print(
                f"{'feed worker peak RSS, 10,000 events':34}{rss:8.0f} MB"
                f"   ≤{RSS_TARGET_MB:.0f} MB: {'ok' if good else 'MISSED'}"
            )
        if kind == "postgresql":
            drop_postgres("bench_scale")
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
