"""Homes, rooms and closures: reading them, and organisers managing their own district's."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.errors.domain import NotFound, NotPermitted, ValidationFailed
from app.extensions import db
from app.models import Closure, Home, Room, User
from app.models.home import EQUIPMENT, WEEKDAYS
from app.text import clean_multiline, text_problem


def require_manager(user: User, home: Home) -> None:
    """Organisers manage their own district's home; admins manage both."""
    if not user.is_authenticated or not user.manages_district(home.district):
        raise NotPermitted(_("Only organisers of this home may do this."))


def validate_room_fields(data: dict) -> dict:
    errors = {}
    name = (data.get("name") or "").strip()
    if not name or len(name) > 120:
        errors["name"] = _("Enter a name (up to 120 characters).")
    for key in ("name", "name_en", "description"):
        problem = text_problem(data.get(key), multiline=key == "description")
        if problem:
            errors[key] = problem
    capacity = data.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 1000:
        errors["capacity"] = _("Capacity must be a whole number from 1 to 1000.")
    equipment = data.get("equipment") or []
    if not isinstance(equipment, list) or any(e not in EQUIPMENT for e in equipment):
        errors["equipment"] = _("Unknown equipment.")
    if errors:
        raise ValidationFailed(errors)
    return {
        "name": name,
        "name_en": (data.get("name_en") or "").strip()[:120],
        "capacity": capacity,
        "equipment": list(dict.fromkeys(equipment)),
        "requires_approval": bool(data.get("requires_approval")),
        "description": clean_multiline(data.get("description") or "")[:1000],
    }


def create_room(user: User, home: Home, data: dict) -> Room:
    require_manager(user, home)
    room = Room(home_id=home.id, **validate_room_fields(data))
    db.session.add(room)
    db.session.flush()
    audit.record(user, "room_created", room, district=home.district, after=_room_fields(room))
    return room


def update_room(user: User, room: Room, data: dict) -> Room:
    require_manager(user, room.home)
    before = _room_fields(room)
    for key, value in validate_room_fields(data).items():
        setattr(room, key, value)
    room.active = bool(data.get("active", True))
    db.session.flush()
    audit.record(user, "room_updated", room, district=room.home.district, before=before, after=_room_fields(room))
    return room


def _room_fields(room: Room) -> dict:
    keys = ("name", "name_en", "capacity", "equipment", "requires_approval", "active")
    return {key: getattr(room, key) for key in keys}


def update_opening_hours(user: User, home: Home, hours: dict) -> None:
    require_manager(user, home)
    errors = {}
    cleaned = {}
    for day in WEEKDAYS:
        value = hours.get(day)
        if not value:
            cleaned[day] = None
            continue
        opens, closes = value
        if not (_is_hhmm(opens) and _is_hhmm(closes)) or opens >= closes:
            errors[day] = _("Use HH:MM, opening before closing.")
        cleaned[day] = [opens, closes]
    if errors:
        raise ValidationFailed(errors)
    before = home.opening_hours
    home.opening_hours = cleaned
    db.session.flush()
    audit.record(user, "opening_hours_changed", home, district=home.district, before=before, after=cleaned)


def _is_hhmm(value) -> bool:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return False
    hours, minutes = value[:2], value[3:]
    return hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) in (0, 30)


def add_closure(
    user: User, home: Home, start: datetime, end: datetime, reason: str, room: Room | None = None
) -> Closure:
    require_manager(user, home)
    if room is not None and room.home_id != home.id:
        raise NotFound(_("No such room."))
    if end <= start:
        raise ValidationFailed({"end": _("The end must be after the start.")})
    if text_problem(reason):
        raise ValidationFailed({"reason": text_problem(reason)})
    closure = Closure(
        home_id=home.id,
        room_id=room.id if room else None,
        starts_at=start,
        ends_at=end,
        reason=(reason or "").strip()[:300],
        created_by_id=user.id,
    )
    db.session.add(closure)
    db.session.flush()
    audit.record(user, "closure_added", closure, district=home.district, **_closure_fields(closure))
    return closure


def _closure_fields(closure: Closure) -> dict:
    return {
        "room_id": closure.room_id,
        "starts_at": closure.starts_at.isoformat(),
        "ends_at": closure.ends_at.isoformat(),
        "reason": closure.reason,
    }


def delete_closure(user: User, closure: Closure) -> None:
    require_manager(user, closure.home)
    audit.record(user, "closure_deleted", closure, district=closure.home.district, **_closure_fields(closure))
    db.session.delete(closure)
    db.session.flush()
