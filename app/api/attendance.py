"""API: check-ins at an event's sessions, and its attendance record."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, json_body, login_required
from app.api.schemas import Items
from app.api.schemas.inputs import CheckInIn
from app.api.schemas.registrations import Attendance
from app.api.schemas.registrations import CheckIn as CheckInShape
from app.api.spec import operation
from app.attendance import records, services
from app.errors.domain import ValidationFailed
from app.extensions import db
from app.models import CheckIn


def _session_id(data: dict) -> int | None:
    value = data.get("session_id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed({"session_id": _("Must be a whole number.")})
    return value


@bp.post("/events/<int:event_id>/check-ins")
@operation("Check someone in", CheckInShape, "401 403 404 409", status=201, body=CheckInIn)
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
    return CheckInShape.of(check_in), 201


@bp.get("/events/<int:event_id>/check-ins")
@operation("Check-ins of an event", Items[CheckInShape], "401 403 404")
@login_required
def list_check_ins(event_id: int):
    event = services.managed_event(current_user, event_id)
    rows = db.session.scalars(db.select(CheckIn).where(CheckIn.event_id == event.id).order_by(CheckIn.id))
    return Items[CheckInShape](items=[CheckInShape.of(c) for c in rows])


@bp.delete("/events/<int:event_id>/check-ins/<int:check_in_id>")
@operation("Undo a check-in", None, "401 403 404", status=204)
@login_required
def delete_check_in(event_id: int, check_in_id: int):
    event = services.managed_event(current_user, event_id)
    services.undo_check_in(event, check_in_id, current_user)
    return "", 204


@bp.get("/events/<int:event_id>/attendance")
@operation("Attendance record", Attendance, "401 403 404", auth=False)
def attendance(event_id: int):
    """Organisers at any time; anyone once published. Aggregates only, never names."""
    return Attendance.model_validate(records.visible_record(current_user, event_id))


@bp.post("/events/<int:event_id>/attendance/publish")
@operation("Publish the attendance record", Attendance, "401 403 404 409 422")
@login_required
def publish_attendance(event_id: int):
    event = services.managed_event(current_user, event_id)
    return Attendance.model_validate(records.publish_attendance(event, current_user))
