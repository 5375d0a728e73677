"""API: events — list, read, create, update, publish, cancel."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, json_body, login_required, staff_required
from app.api.schemas import Items
from app.api.schemas.events import Event as EventShape
from app.api.schemas.inputs import EventIn, EventsQuery
from app.api.spec import operation
from app.errors.domain import ValidationFailed
from app.events import places, queries, questions, services
from app.extensions import db
from app.models.event import HOSTS, KINDS
from app.models.user import DISTRICTS
from app.timezones import now_utc, parse_datetime


def _time_arg(name: str):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise ValidationFailed({name: _("Use an ISO 8601 date and time.")}) from None


@bp.get("/events")
@operation("Published events", Items[EventShape], query=EventsQuery, auth=False)
def events():
    kind, district, status = request.args.get("kind"), request.args.get("district"), request.args.get("status")
    errors = {}
    if kind and kind not in KINDS:
        errors["kind"] = _("Unknown kind.")
    if district and district not in DISTRICTS:
        errors["district"] = _("Use liwan or nanhai.")
    if status and status not in ("draft", "published", "cancelled"):
        errors["status"] = _("Use draft, published or cancelled.")
    if errors:
        raise ValidationFailed(errors)
    start, end = _time_arg("from"), _time_arg("to")
    filters = {"kind": kind, "district": district, "start": start, "end": end}
    if status == "draft":
        if not current_user.is_authenticated or not current_user.is_staff:
            return {"items": []}
        query = queries.drafts_query(HOSTS if current_user.is_admin else (current_user.district, "joint"), **filters)
    else:
        query = queries.public_events_query(statuses=(status or "published",), **filters)
    found = list(db.session.scalars(query.limit(500)))
    counted = places.counts([e.id for e in found])
    return Items[EventShape](items=[EventShape.of(e, counted[e.id]) for e in found])


@bp.get("/events/<int:event_id>")
@operation("One event", EventShape, "404", auth=False)
def show_event(event_id: int):
    return EventShape.of(services.visible_event(current_user, event_id))


@bp.post("/events")
@operation("Create a draft", EventShape, "401 403 409", status=201, body=EventIn)
@staff_required
def create_event():
    data = json_body()
    created = services.create_event(current_user, data)
    _questions(created, data)
    return EventShape.of(created), 201


@bp.patch("/events/<int:event_id>")
@operation("Update an event", EventShape, "401 403 404 409", body=EventIn)
@login_required
def update_event(event_id: int):
    data = json_body()
    updated = services.update_event(current_user, event_id, data)
    _questions(updated, data)
    return EventShape.of(updated)


def _questions(event, data: dict) -> None:
    """`questions`, when sent, replace the event's registration questions (the same request's unit of
    work, so a refused list leaves the event unchanged too)."""
    if "questions" in data:
        questions.replace_questions(current_user, event, data["questions"])


@bp.post("/events/<int:event_id>/publish")
@operation("Publish an event", EventShape, "401 403 404 409 422")
@login_required
def publish_event(event_id: int):
    published = services.publish_event(current_user, event_id)
    return EventShape.of(published)


@bp.post("/events/<int:event_id>/cancel")
@operation("Cancel an event", EventShape, "401 403 404 409 422")
@login_required
def cancel_event(event_id: int):
    data = request.get_json(silent=True)
    reason = data.get("reason", "") if isinstance(data, dict) and isinstance(data.get("reason"), str) else ""
    cancelled = services.cancel_event(current_user, event_id, reason[:500], now=now_utc())
    return EventShape.of(cancelled)
