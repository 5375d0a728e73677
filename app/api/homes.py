"""API: the homes and their rooms."""

from __future__ import annotations

from flask import request

from app.api import bp, query_int
from app.homes import services
from app.models.user import DISTRICTS


def home_json(home) -> dict:
    return {
        "id": home.id,
        "district": home.district,
        "name": home.name,
        "name_en": home.name_en,
        "address": home.address,
        "address_en": home.address_en,
        "opening_hours": home.opening_hours,
    }


def room_json(room) -> dict:
    return {
        "id": room.id,
        "home": room.home.district,
        "home_id": room.home_id,
        "name": room.name,
        "name_en": room.name_en,
        "capacity": room.capacity,
        "equipment": list(room.equipment or []),
        "requires_approval": room.requires_approval,
    }


@bp.get("/homes")
def homes():
    return {"items": [home_json(h) for h in services.list_homes()]}


@bp.get("/rooms")
def rooms():
    district = request.args.get("home") or None
    if district is not None and district not in DISTRICTS:
        from flask_babel import gettext as _

        from app.errors.domain import ValidationFailed

        raise ValidationFailed({"home": _("Use liwan or nanhai.")})
    equipment = [e for e in request.args.get("equipment", "").split(",") if e]
    found = services.list_rooms(district, query_int("min_capacity", 1), equipment)
    return {"items": [room_json(r) for r in found]}


@bp.get("/rooms/<int:room_id>")
def room(room_id: int):
    return room_json(services.get_room(room_id))
