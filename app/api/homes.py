"""API: the homes and their rooms."""

from __future__ import annotations

from app.api import bp
from app.api.schemas import Items
from app.api.schemas.places import Home, Room
from app.api.schemas.queries import RoomsQuery
from app.api.spec import operation
from app.homes import queries


def equipment(query: RoomsQuery) -> list[str]:
    """`?equipment=a,b`: rooms holding all of them."""
    return [e for e in (query.equipment or "").split(",") if e]


@bp.get("/homes")
@operation("The two homes", Items[Home], auth=False)
def homes():
    return Items[Home](items=[Home.model_validate(h) for h in queries.list_homes()])


@bp.get("/rooms")
@operation("Rooms", Items[Room], query=RoomsQuery, auth=False)
def rooms(query: RoomsQuery):
    found = queries.list_rooms(query.home, query.min_capacity, equipment(query))
    return Items[Room](items=[Room.of(r) for r in found])


@bp.get("/rooms/<int:room_id>")
@operation("One room", Room, "404", auth=False)
def room(room_id: int):
    return Room.of(queries.get_room(room_id))
