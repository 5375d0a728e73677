"""Baselines for the load benchmarks in bench/, served only when BENCHMARK_ROUTES=1.

`/bench/ping` is the cheapest JSON answer the app can give; `/bench/guarded-insert` is the least a
race-safe booking must do (lock the room row, check for an overlap, insert; the request commits) with no auth
and no rules.
"""

from __future__ import annotations

from flask import Blueprint, Flask, request

from app.bookings.services.holds import is_held
from app.database import lock_row
from app.extensions import csrf, db
from app.models import Booking, Room
from app.timezones import parse_datetime

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/ping")
def ping():
    return {"ok": True}


@bp.post("/guarded-insert")
def guarded_insert():
    data = request.get_json()
    start, end = parse_datetime(data["start"]), parse_datetime(data["end"])
    if lock_row(Room, data["room_id"]) is None:
        return {"error": "no such room"}, 404
    if is_held(data["room_id"], start, end):  # the app's one overlap filter, as a booking checks it
        return {"error": "conflict"}, 409
    booking = Booking(room_id=data["room_id"], starts_at=start, ends_at=end, title="bench", status="confirmed")
    db.session.add(booking)
    db.session.flush()
    return {"id": booking.id}, 201


def register_bench_routes(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
