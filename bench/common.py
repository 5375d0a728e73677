"""Shared machinery for the load benchmarks: databases, a gunicorn server, a load generator, baselines.

A benchmark script typically does, for each of SQLite and PostgreSQL:

    url = fresh_database("sqlite", "bench_signup")          # or "postgresql"
    app = app_for(url)                                       # in-process app to seed data
    with app.app_context(): ...seed..., db.session.commit()
    with GunicornServer(url) as server:                      # 4 workers, RATELIMIT_ENABLED=0, BENCHMARK_ROUTES=1
        base = measure_baselines(server, room_ids, total=2000)
        mine = run_load(server, lambda i: Request("POST", "/api/v1/...", json_body={...}), total=2000)
    print_results("SQLite", [("trivial JSON route", base["trivial"]), ..., ("my endpoint", mine)], base)

Everything speaks plain HTTP/1.1 over asyncio sockets, so the load generator costs little CPU next
to the server on a small machine. Run scripts from the project root: `.venv/bin/python bench/<script>.py`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1")
CLIENTS = 64
WORKERS = 4


# Databases -----------------------------------------------------------------------------------


def fresh_database(kind: str, name: str) -> str:
    """A new empty database with the full schema; returns its SQLAlchemy URL.

    kind "sqlite": a file in a new temporary directory; kind "postgresql": database `name` on
    BENCH_PG_URL (default postgresql://postgres@127.0.0.1), dropped and created again.
    """
    if kind == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix=f'{name}-')}/bench.sqlite"
    elif kind == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{PG_ADMIN_URL.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    else:
        raise ValueError(kind)
    app = app_for(url)
    from app.extensions import db

    with app.app_context():
        db.create_all()
        db.session.commit()
        db.engine.dispose()
    return url


def app_for(url: str, **settings):
    """An in-process app on that database (for seeding and checks), with optional config overrides."""
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    from app import create_app
    from config import Config

    attributes = {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, **settings}
    return create_app(type("BenchConfig", (Config,), attributes))


def published_event(organiser, title: str, capacity: int, start):
    """A published three-hour exchange event of `capacity` places in Liwan, starting at `start` (UTC)."""
    from app.events import services
    from app.timezones import iso_local

    body = {
        "kind": "exchange",
        "subtype": "hiking",
        "title": title,
        "host": "liwan",
        "capacity": capacity,
        "start": iso_local(start),
        "end": iso_local(start + timedelta(hours=3)),
        "venue": {"address": "Park"},
    }
    event = services.create_event(organiser, body)
    services.publish_event(organiser, event.id)
    return event


def drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    """`gunicorn wsgi:app` with `workers` sync workers on 127.0.0.1, as a context manager.

    Environment: DATABASE_URL=url, RATELIMIT_ENABLED=0, BENCHMARK_ROUTES=1 (the baselines), a fixed
    SECRET_KEY, plus `env`. Entering waits until /bench/ping answers; leaving stops the server.
    """

    def __init__(self, url: str, workers: int = WORKERS, env: dict | None = None, port: int | None = None):
        self.url, self.workers, self.port = url, workers, port or free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "RATELIMIT_ENABLED": "0",
            "BENCHMARK_ROUTES": "1",
            "SECRET_KEY": "bench-secret",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> GunicornServer:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [
                gunicorn,
                "wsgi:app",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if asyncio.run(_fetch(self.port, Request("GET", "/bench/ping")))[0] == 200:
                    time.sleep(1.0)  # let every worker finish booting
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# The load generator --------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    json_body: dict | None = None
    headers: dict = field(default_factory=dict)


def percentile(latencies_ms: list[float], p: float) -> float:
    """The p-th percentile of latencies (nearest rank); 0 for none."""
    if not latencies_ms:
        return 0.0
    ordered = sorted(latencies_ms)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass
class LoadResult:
    """What one load run measured: requests per second, latency percentiles (ms), statuses, and when
    each request began (seconds into the run, in the order of `latencies_ms`)."""

    total: int
    seconds: float
    latencies_ms: list[float]
    statuses: Counter
    began_s: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def p99(self) -> float:
        return self.percentile(99)

    def slowest_began(self, share: float = 0.01) -> tuple[float, float]:
        """When the slowest `share` of the requests began: (earliest, latest), seconds into the run."""
        ranked = sorted(zip(self.latencies_ms, self.began_s, strict=True), reverse=True)
        began = [b for _latency, b in ranked[: max(1, int(len(ranked) * share))]]
        return min(began), max(began)

    def begun_after(self, seconds: float) -> list[float]:
        """The latencies of the requests that began after `seconds` into the run."""
        return [ms for ms, b in zip(self.latencies_ms, self.began_s, strict=True) if b > seconds]

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


async def _fetch(port: int, req: Request) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a new connection (sync gunicorn workers close it after answering)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = json.dumps(req.json_body).encode() if req.json_body is not None else b""
    lines = [
        f"{req.method} {req.path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        f"Content-Length: {len(body)}",
    ]
    if req.json_body is not None:
        lines.append("Content-Type: application/json")
    lines += [f"{k}: {v}" for k, v in req.headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    status = int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0
    return status, raw.partition(b"\r\n\r\n")[2]


def run_load(
    server: GunicornServer, make_request: Callable[[int], Request], total: int, clients: int = CLIENTS
) -> LoadResult:
    """Send `total` requests, make_request(0) … make_request(total - 1), from `clients` concurrent
    connections; each client sends its next request as soon as its previous answer arrived."""

    async def main() -> LoadResult:
        counter = iter(range(total))
        latencies: list[float] = []
        began_s: list[float] = []
        statuses: Counter = Counter()

        async def client() -> None:
            for i in counter:
                began = time.perf_counter()
                try:
                    status, _body = await _fetch(server.port, make_request(i))
                except OSError:
                    status = 0
                latencies.append((time.perf_counter() - began) * 1000)
                began_s.append(began - started)
                statuses[status] += 1

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        return LoadResult(total, time.perf_counter() - started, latencies, statuses, began_s)

    return asyncio.run(main())


def latency(server: GunicornServer, make_request: Callable[[int], Request], total: int = 200) -> LoadResult:
    """Latency of one client sending requests one after another (p50 of a quiet server)."""
    run_load(server, make_request, min(20, total), clients=1)  # warm every worker's caches
    return run_load(server, make_request, total, clients=1)


# Baselines -----------------------------------------------------------------------------------


def far_slot(i: int, room_ids: list[int], first_day: date | None = None) -> tuple[int, str, str]:
    """The i-th distinct half-hour slot, rooms taken in turn, from `first_day` (default: in 5 years)
    on: (room_id, start, end) as ISO strings in +08:00, never overlapping another i."""
    first_day = first_day or date.today() + timedelta(days=5 * 365)
    room = room_ids[i % len(room_ids)]
    n = i // len(room_ids)
    day = first_day + timedelta(days=n // 24)
    minutes = 8 * 60 + (n % 24) * 30
    start = f"{day.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:00+08:00"
    minutes += 30
    end = f"{day.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:00+08:00"
    return room, start, end


def trivial_request(_i: int) -> Request:
    return Request("GET", "/bench/ping")


def guarded_insert_request(room_ids: list[int]) -> Callable[[int], Request]:
    def make(i: int) -> Request:
        room, start, end = far_slot(i, room_ids)
        return Request("POST", "/bench/guarded-insert", {"room_id": room, "start": start, "end": end})

    return make


def measure_baselines(server: GunicornServer, room_ids: list[int], total: int = 2000) -> dict[str, LoadResult]:
    """The two baselines at CLIENTS concurrent clients: {"trivial": …, "guarded": …}.

    "guarded" inserts `total` bookings into far-future slots of `room_ids` (rooms in turn), so it
    never collides with a benchmark that books within the usual horizon. Each is measured on warm
    workers (`warm_up`), on slots of its own."""
    warm_up(server, trivial_request)
    trivial = run_load(server, trivial_request, total)
    guarded = guarded_insert_request(room_ids)
    warm_up(server, lambda i: guarded(total + i))
    return {"trivial": trivial, "guarded": run_load(server, guarded, total)}


def guarded_again(server: GunicornServer, room_ids: list[int], baselines: dict[str, LoadResult]) -> None:
    """The guarded insert measured once more, after the load it is the baseline of, on slots of its
    own; `baselines["guarded"]` becomes both runs together (their requests over their seconds), so
    that a machine whose speed drifts during the run (seen here: the trivial route's throughput
    fell by a third within half an hour) weighs on the baseline as on the load between its two
    runs. Each run is kept too ("guarded before", "guarded after"), for `print_results`."""
    first = baselines["guarded"]
    guarded = guarded_insert_request(room_ids)
    offset = first.total + WARM_UP
    second = run_load(server, lambda i: guarded(offset + i), first.total)
    baselines["guarded"] = LoadResult(
        first.total + second.total,
        first.seconds + second.seconds,
        first.latencies_ms + second.latencies_ms,
        first.statuses + second.statuses,
    )
    baselines["guarded before"], baselines["guarded after"] = first, second


WARM_UP = 200


def warm_up(server: GunicornServer, make_request: Callable[[int], Request], total: int = WARM_UP) -> None:
    """Serve `total` requests of a kind before measuring it, unmeasured, so that every worker has
    made its connection and compiled and prepared the kind's statements: a rush is then timed on a
    server in its steady state, as one that has been serving for a while meets it. (On workers
    that had not served the kind yet, the first 64 answers of a rush queued behind each worker's
    first-time work and made the whole p99.)"""
    run_load(server, make_request, total)


# Reporting -----------------------------------------------------------------------------------


def print_results(title: str, rows: list[tuple[str, LoadResult]], baselines: dict[str, LoadResult]) -> None:
    """A table: requests/s, p50 and p99 (ms), statuses, and the throughput as a ratio of each baseline."""
    trivial, guarded = baselines["trivial"].throughput, baselines["guarded"].throughput
    if "guarded after" in baselines:  # its two runs, listed above both together
        at = next(n for n, (_label, result) in enumerate(rows) if result is baselines["guarded"])
        runs = [(f"guarded insert, {when}", baselines[f"guarded {when}"]) for when in ("before", "after")]
        rows = rows[:at] + runs + rows[at:]
    print(f"\n== {title} ==")
    print(f"{'':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'×trivial':>9} {'×guarded':>9}  statuses")
    for label, result in rows:
        statuses = " ".join(f"{code}:{n}" for code, n in sorted(result.statuses.items()))
        print(
            f"{label:38} {result.throughput:8.1f} {result.p50:8.1f} {result.p99:8.1f} "
            f"{result.throughput / trivial:9.3f} {result.throughput / guarded:9.3f}  {statuses}"
        )


def workers_peak_rss_mb(server) -> float:
    """The highest peak resident memory (VmHWM) of the server's worker processes, in MB."""
    workers = [p for p in os.listdir("/proc") if p.isdigit() and _parent(p) == server.process.pid]
    return max(_peak_rss_kb(p) for p in workers) / 1024


def _parent(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def _peak_rss_kb(pid: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
