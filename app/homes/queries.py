"""Read models: the homes, a home by its district, rooms (by home, size and equipment), closures."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy.orm import contains_eager, joinedload

from app.errors.domain import NotFound
from app.extensions import db
from app.models import Closure, Home, Room


def list_homes() -> list[Home]:
    return list(db.session.scalars(db.select(Home).order_by(Home.id)))


def home_by_district(district: str, with_rooms: bool = False) -> Home:
    """The home of a district; `with_rooms`: its rooms read in the same statement (for a page that
    shows them all)."""
    statement = _HOME_WITH_ROOMS if with_rooms else _HOME
    home = db.session.scalars(statement, {"district": district}).unique().one_or_none()
    if home is None:
        raise NotFound(_("No such home."))
    return home


_HOME = db.select(Home).where(Home.district == bindparam("district"))
_HOME_WITH_ROOMS = _HOME.options(joinedload(Home.rooms))


def get_room(room_id: int, include_inactive: bool = False) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or (not room.active and not include_inactive):
        raise NotFound(_("No such room."))
    return room


def list_rooms(
    district: str | None = None, min_capacity: int | None = None, equipment: list[str] | None = None
) -> list[Room]:
    query = (
        db.select(Room)
        .join(Home)
        .options(contains_eager(Room.home))  # each room's home in the same read
        .where(Room.active.is_(True))
        .order_by(Home.id, Room.id)
    )
    if district:
        query = query.where(Home.district == district)
    if min_capacity:
        query = query.where(Room.capacity >= min_capacity)
    rooms = list(db.session.scalars(query))
    if equipment:
        rooms = [r for r in rooms if set(equipment) <= set(r.equipment or [])]
    return rooms


def upcoming_closures(home: Home, now: datetime) -> list[Closure]:
    return list(
        db.session.scalars(
            db.select(Closure).where(Closure.home_id == home.id, Closure.ends_at > now).order_by(Closure.starts_at)
        )
    )
