"""API: check-ins at an event's sessions, and its attendance record."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, json_body, login_required
from app.attendance import records, services
from app.errors.domain import ValidationFailed
from app.extensions import db
from app.models import CheckIn
from app.timezones import iso_local


def check_in_json(check_in) -> dict:
    """Organisers only: the desk needs the names to greet people."""
    registration = check_in.registration
    names, guardian = services.registration_names(registration) if registration else ([check_in.walk_in_name], None)
    return {
        "id": check_in.id,
        "event_id": check_in.event_id,
        "session_id": check_in.session_id,
        "registration_id": check_in.registration_id,
        "walk_in": registration is None,
        "names": names,
        "guardian": guardian,
        "district": records.registration_district(registration) if registration else check_in.walk_in_district,
        "places": check_in.places,
        "checked_in_at": iso_local(check_in.created_at),
    }


def _session_id(data: dict) -> int | None:
    value = data.get("session_id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed({"session_id": _("Must be a whole number.")})
    return value


@bp.post("/events/<int:event_id>/check-ins")
@login_required
def create_check_in(event_id: int):
    """`{code, session_id?}` checks a sign-up in; `{walk_in: {name, district, places?}, session_id?}` adds a walk-in."""
    event = services.managed_event(current_user, event_id)
    data = json_body()
    session_id = _session_id(data)
    if "walk_in" in data:
        walk_in = data["walk_in"] if isinstance(data["walk_in"], dict) else {}
        check_in = services.add_walk_in(
            event, current_user, walk_in.get("name"), walk_in.get("district"), walk_in.get("places", 1), session_id
        )
    else:
        code = data.get("code")
        if not isinstance(code, str) or not code.strip():
            raise ValidationFailed({"code": _("Enter a check-in code.")})
        check_in = services.check_in_by_code(event, code, current_user, session_id)
    return check_in_json(check_in), 201


@bp.get("/events/<int:event_id>/check-ins")
@login_required
def list_check_ins(event_id: int):
    event = services.managed_event(current_user, event_id)
    rows = db.session.scalars(db.select(CheckIn).where(CheckIn.event_id == event.id).order_by(CheckIn.id))
    return {"items": [check_in_json(c) for c in rows]}


@bp.delete("/events/<int:event_id>/check-ins/<int:check_in_id>")
@login_required
def delete_check_in(event_id: int, check_in_id: int):
    event = services.managed_event(current_user, event_id)
    services.undo_check_in(event, check_in_id, current_user)
    return "", 204


@bp.get("/events/<int:event_id>/attendance")
def attendance(event_id: int):
    """Organisers at any time; anyone once published. Aggregates only, never names."""
    return records.visible_record(current_user, event_id)


@bp.post("/events/<int:event_id>/attendance/publish")
@login_required
def publish_attendance(event_id: int):
    event = services.managed_event(current_user, event_id)
    record = records.publish_attendance(event, current_user)
    return record
