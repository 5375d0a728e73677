"""API: signing up, one's own sign-ups, cancelling, the roster."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from app.api import bp, json_body, login_required
from app.events import places
from app.events import registrations as regs
from app.events.services import can_manage
from app.models import Registration
from app.timezones import iso_local


def registration_json(registration: Registration, viewer, position: int | None = None) -> dict:
    """`position` may be given when it is already known (a new entry), saving a count."""
    sees_details = registration.user_id == viewer.id or can_manage(viewer, registration.event)
    data = {
        "id": registration.id,
        "event_id": registration.event_id,
        "status": registration.status,
        "waitlist_position": position
        if position is not None or registration.status != "waitlisted"
        else places.waitlist_position(registration),
        "places": registration.places,
        "district": registration.district,
        "check_in_code": registration.check_in_code if sees_details and registration.status == "confirmed" else None,
        "created_at": iso_local(registration.created_at),
        "no_show": registration.no_show,
    }
    if can_manage(viewer, registration.event):
        data["user"] = {"id": registration.user_id, "name": registration.user.name if registration.user else None}
    if registration.for_children and sees_details:
        data["participants"] = [
            {
                "name": p.name,
                "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                "guardian_relation": p.guardian_relation,
                "emergency_contact": p.emergency_contact,
                "health_notes": p.health_notes,
            }
            for p in registration.participants
        ]
    return data


@bp.post("/events/<int:event_id>/registrations")
@login_required
def sign_up(event_id: int):
    data = json_body()
    registration = regs.register(current_user, event_id, data)
    body = registration_json(registration, current_user, registration.position)
    if isinstance(data.get("participants"), list):
        # A family is one entry; the list form answers with it as the single item.
        return {"items": [body], **body}, 201
    return body, 201


@bp.get("/registrations")
@login_required
def my_registrations():
    return {"items": [registration_json(r, current_user) for r in regs.own_registrations(current_user)]}


@bp.get("/registrations/<int:registration_id>")
@login_required
def show_registration(registration_id: int):
    return registration_json(regs.visible_registration(current_user, registration_id), current_user)


@bp.post("/registrations/<int:registration_id>/cancel")
@login_required
def cancel_registration(registration_id: int):
    registration = regs.visible_registration(current_user, registration_id)
    regs.cancel_registration(registration, current_user)
    return registration_json(registration, current_user)


@bp.post("/registrations/<int:registration_id>/promote")
@login_required
def promote_registration(registration_id: int):
    registration = regs.promote_by_hand(current_user, registration_id)
    return registration_json(registration, current_user)


@bp.get("/events/<int:event_id>/registrations")
@login_required
def roster(event_id: int):
    status = request.args.get("status")
    rows = regs.roster(current_user, event_id)
    if status:
        rows = [r for r in rows if r.status == status]
    return {"items": [registration_json(r, current_user) for r in rows]}
