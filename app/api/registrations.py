"""API: signing up, one's own sign-ups, cancelling, the roster."""

from __future__ import annotations

from flask_login import current_user

from app.api import bp, login_required
from app.api.schemas import Items
from app.api.schemas.inputs import SignUp
from app.api.schemas.queries import RosterQuery
from app.api.schemas.registrations import Registration, RegistrationGroup
from app.api.spec import operation
from app.events import registrations as regs
from app.unit_of_work import decided


@bp.post("/events/<int:event_id>/registrations")
@login_required
@operation("Sign up", Registration | RegistrationGroup, "401 403 404 409", status=201, body=SignUp)
def sign_up(event_id: int, body: SignUp):
    registration = regs.register(current_user, event_id, body.model_dump(mode="json", exclude_unset=True))
    decided()  # the event's lock is released before the answer is shaped
    shaped = Registration.of(registration, current_user, registration.position, registration.given_answers)
    if body.participants is not None:
        # A family is one entry; the list form answers with it as the single item.
        return RegistrationGroup(items=[shaped], **shaped.dump()), 201
    return shaped, 201


@bp.get("/registrations")
@login_required
@operation("Own registrations", Items[Registration], "401")
def my_registrations():
    found = regs.own_registrations(current_user)
    return Items[Registration](items=[Registration.of(r, current_user) for r in found])


@bp.get("/registrations/<int:registration_id>")
@login_required
@operation("One registration", Registration, "401 404")
def show_registration(registration_id: int):
    return Registration.of(regs.visible_registration(current_user, registration_id), current_user)


@bp.post("/registrations/<int:registration_id>/cancel")
@login_required
@operation("Cancel a registration", Registration, "401 403 404 409 422")
def cancel_registration(registration_id: int):
    registration = regs.visible_registration(current_user, registration_id)
    regs.cancel_registration(registration, current_user)
    return Registration.of(registration, current_user)


@bp.post("/registrations/<int:registration_id>/promote")
@login_required
@operation("Move a waiting entry up (organisers)", Registration, "401 403 404 409 422")
def promote_registration(registration_id: int):
    return Registration.of(regs.promote_by_hand(current_user, registration_id), current_user)


@bp.get("/events/<int:event_id>/registrations")
@login_required
@operation("Roster", Items[Registration], "401 403 404", query=RosterQuery)
def roster(event_id: int, query: RosterQuery):
    rows = regs.roster(current_user, event_id)
    if query.status:
        rows = [r for r in rows if r.status == query.status]
    return Items[Registration](items=[Registration.of(r, current_user) for r in rows])
