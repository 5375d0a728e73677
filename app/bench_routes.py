"""Baselines for the load benchmarks in bench/, served only when BENCHMARK_ROUTES=1.

`/bench/ping` is the cheapest JSON answer the app can give; `/bench/guarded-insert` is the least a
race-safe booking must do (lock the room row, count overlaps, insert; the request commits) with no auth and no rules.
"""

from __future__ import annotations

from flask import Blueprint, Flask, request
from sqlalchemy import bindparam

from app.extensions import csrf, db
from app.models import Booking, Room
from app.models.base import UTCDateTime
from app.timezones import parse_datetime

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/ping")
def ping():
    return {"ok": True}


@bp.post("/guarded-insert")
def guarded_insert():
    data = request.get_json()
    start, end = parse_datetime(data["start"]), parse_datetime(data["end"])
    if db.session.scalar(_LOCK_ROOM, {"room_id": data["room_id"]}) is None:
        return {"error": "no such room"}, 404
    if db.session.scalar(_OVERLAPS, {"room_id": data["room_id"], "start": start, "end": end}):
        return {"error": "conflict"}, 409
    booking = Booking(room_id=data["room_id"], starts_at=start, ends_at=end, title="bench", status="confirmed")
    db.session.add(booking)
    db.session.flush()
    return {"id": booking.id}, 201


# Built once, as the app's own hot statements are.
_LOCK_ROOM = (
    db.select(Room).where(Room.id == bindparam("room_id")).with_for_update().execution_options(populate_existing=True)
)
# The app's one overlap filter (`Booking.holding_during`), so that SQLite reads the room's bookings
# from the asked start on, as a booking's own check does, not the room's whole past.
_OVERLAPS = db.select(db.func.count(Booking.id)).where(
    Booking.holding_during(
        [bindparam("room_id")], bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())
    )
)


def register_bench_routes(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
