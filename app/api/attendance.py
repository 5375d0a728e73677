"""API: check-ins at an event's sessions, and its attendance record."""

from __future__ import annotations

from flask_login import current_user

from app.api import bp, login_required
from app.api.schemas import Items
from app.api.schemas.inputs import CheckInIn
from app.api.schemas.registrations import Attendance
from app.api.schemas.registrations import CheckIn as CheckInShape
from app.api.spec import operation
from app.attendance import records, services
from app.extensions import db
from app.models import CheckIn


@bp.post("/events/<int:event_id>/check-ins")
@login_required
@operation("Check someone in", CheckInShape, "401 403 404 409", status=201, body=CheckInIn)
def create_check_in(event_id: int, body: CheckInIn):
    """`{code, session_id?}` checks a sign-up in; `{walk_in: {name, district, places?}, session_id?}` adds a walk-in."""
    event = services.managed_event(current_user, event_id)
    if body.walk_in is not None:
        walk_in = body.walk_in
        places = 1 if walk_in.places is None else walk_in.places
        check_in = services.add_walk_in(event, current_user, walk_in.name, walk_in.district, places, body.session_id)
    else:
        check_in = services.check_in_by_code(event, body.code, current_user, body.session_id)
    return CheckInShape.of(check_in), 201


@bp.get("/events/<int:event_id>/check-ins")
@login_required
@operation("Check-ins of an event", Items[CheckInShape], "401 403 404")
def list_check_ins(event_id: int):
    event = services.managed_event(current_user, event_id)
    rows = db.session.scalars(db.select(CheckIn).where(CheckIn.event_id == event.id).order_by(CheckIn.id))
    return Items[CheckInShape](items=[CheckInShape.of(c) for c in rows])


@bp.delete("/events/<int:event_id>/check-ins/<int:check_in_id>")
@login_required
@operation("Undo a check-in", None, "401 403 404 422", status=204)
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
@login_required
@operation("Publish the attendance record", Attendance, "401 403 404 409 422")
def publish_attendance(event_id: int):
    event = services.managed_event(current_user, event_id)
    return Attendance.model_validate(records.publish_attendance(event, current_user))
