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
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from common import GunicornServer, Request, app_for, drop_postgres, fresh_database, run_load

POINT_TARGET_MS = 20.0
POINT_GROWTH = 1.5
RSS_TARGET_MB = 200.0
SLOT = timedelta(minutes=30)
SLOTS_PER_DAY = 24  # 09:00–21:00 local, 30-minute slots
FUTURE_DAYS = 28
CHUNK = 20_000


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
        for i in range(0, len(rows), CHUNK):
            self.db.session.execute(self.db.insert(model), rows[i : i + CHUNK])

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
                        "user_id": self.users[(i * 7) % len(self.users)],
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
        for i in ids:
            for k in range(10):
                user = self.users[(i * 10 + k) % len(self.users)]
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
                "user_id": self.users[k % len(self.users)],
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
        with self.db.engine.connect() as conn:
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


def measure(app, grower: Grower, repeat: int) -> dict[str, tuple[float, float, int]]:
    from app.extensions import db
    from app.models import User

    tomorrow = (grower.today + timedelta(days=1)).astimezone().date().isoformat()
    start, end = f"{tomorrow}T14:30:00+08:00", f"{tomorrow}T15:30:00+08:00"
    results: dict[str, tuple[float, float, int]] = {}
    with app.app_context():
        talent = db.session.get(User, grower.users[0])
        talent_email, talent_token = talent.email, talent.calendar_token
    anon, staff, person = app.test_client(), app.test_client(), app.test_client()
    login = staff.post("/login", data={"email": "organiser.liwan@example.com", "password": "Organiser123"})
    assert login.status_code == 302, login.status_code
    token = person.post("/api/v1/auth/token", json={"email": talent_email, "password": "Talent12345"}).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    for home in ("liwan", "nanhai"):
        path = f"/api/v1/rooms/available?start={start}&end={end}&home={home}"
        results[f"rooms/available ({home})"] = timed(anon, path.replace("+", "%2B"), repeat)
    results["home day timeline (liwan)"] = timed(staff, f"/homes/liwan/schedule?date={tomorrow}", repeat)
    results["talent's GET /api/v1/bookings"] = timed(person, "/api/v1/bookings", repeat, headers=bearer)
    results["personal feed, warm"] = timed(anon, f"/calendar/{talent_token}.ics", repeat)
    results["personal feed, cold"] = cold_feed(app, anon, grower, talent_token, max(5, repeat // 4))
    year_ago = (grower.today - timedelta(days=365)).date().isoformat()
    results["statistics, one year"] = timed(staff, f"/statistics?from={year_ago}&to={tomorrow}", max(3, repeat // 10))
    results["roster XLSX, 2,000 registrants"] = timed(
        staff, f"/events/{grower.roster_event}/attendance.xlsx", max(3, repeat // 10)
    )
    organiser = anon.post(
        "/api/v1/auth/token", json={"email": "organiser.liwan@example.com", "password": "Organiser123"}
    ).json["token"]
    results["booking POST"] = booking_posts(anon, {"Authorization": f"Bearer {organiser}"}, grower, repeat)
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
    """Organiser bookings of the free odd slots of the coming weeks (one room after another)."""
    samples, statuses = [], set()
    taken = getattr(grower, "posted", 0)
    for n in range(taken, taken + repeat):
        room, k = n % len(grower.rooms), n // len(grower.rooms)
        day = grower.today + timedelta(days=2 + k // (SLOTS_PER_DAY // 2))
        begins = local_slot(day, 2 * (k % (SLOTS_PER_DAY // 2)) + 1)
        body = {
            "room_id": grower.rooms[room][0],
            "start": begins.isoformat(),
            "end": (begins + SLOT).isoformat(),
            "title": "扩容测试",
            "purpose": "seminar",
            "attendees": 2,
        }
        began = time.perf_counter()
        statuses.add(client.post("/api/v1/bookings", json=body, headers=headers).status_code)
        samples.append((time.perf_counter() - began) * 1000)
    grower.posted = taken + repeat
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))], max(statuses)


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
        workers = [p for p in os.listdir("/proc") if p.isdigit() and _parent(p) == server.process.pid]
        peak = max(_peak_rss_kb(p) for p in workers) / 1024
    if kind == "postgresql":
        drop_postgres(name)
    return peak


def _parent(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def _peak_rss_kb(pid: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


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
    print(f"\n== {kind}: p50 / p99 ms at each size (seeding time in brackets) ==")
    print(f"{'':34}" + "".join(f"{f'{s:,} ({seeding[s]:.0f} s)':>24}" for s in sizes) + "   target")
    for label in table[first]:
        cells, verdict = [], ""
        for size in sizes:
            p50, p99, status = table[size][label]
            cells.append(f"{p50:8.1f} / {p99:8.1f} [{status}]")
        if label in POINT_QUERIES:
            last, base = table[sizes[-1]][label][0], table[first][label][0]
            good = last <= POINT_TARGET_MS and last <= POINT_GROWTH * max(base, 1.0)
            verdict = f"   ≤{POINT_TARGET_MS:.0f} ms, ≤{POINT_GROWTH}× first: {'ok' if good else 'MISSED'}"
            ok &= good
        print(f"{label:34}" + "".join(f"{c:>24}" for c in cells) + verdict)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=60, help="requests per point measure")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    ok = True
    for kind in kinds:
        url = fresh_database(kind, "bench_scale")
        app = app_for(url, WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
        grower = Grower(app)
        table, seeding = {}, {}
        for size in sizes:
            seeding[size] = grower.grow(size)
            print(f"{kind}: {size:,} bookings stored ({seeding[size]:.0f} s)", flush=True)
            table[size] = measure(app, grower, args.repeat)
        ok &= report(kind, sizes, table, seeding)
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
