"""API: the homes and their rooms."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.api import bp, query_int
from app.api.schemas import Items
from app.api.schemas.inputs import RoomsQuery
from app.api.schemas.places import Home, Room
from app.api.spec import operation
from app.errors.domain import ValidationFailed
from app.homes import queries
from app.models.user import DISTRICTS


def district_arg():
    """The optional `?home=` district."""
    district = request.args.get("home") or None
    if district is not None and district not in DISTRICTS:
        raise ValidationFailed({"home": _("Use liwan or nanhai.")})
    return district


def equipment_arg() -> list[str]:
    return [e for e in request.args.get("equipment", "").split(",") if e]


@bp.get("/homes")
@operation("The two homes", Items[Home], auth=False)
def homes():
    return Items[Home](items=[Home.model_validate(h) for h in queries.list_homes()])


@bp.get("/rooms")
@operation("Rooms", Items[Room], query=RoomsQuery, auth=False)
def rooms():
    found = queries.list_rooms(district_arg(), query_int("min_capacity", 1), equipment_arg())
    return Items[Room](items=[Room.of(r) for r in found])


@bp.get("/rooms/<int:room_id>")
@operation("One room", Room, "404", auth=False)
def room(room_id: int):
    return Room.of(queries.get_room(room_id))
