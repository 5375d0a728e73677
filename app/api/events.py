"""API: events — list, read, create, update, publish, cancel."""

from __future__ import annotations

from flask_login import current_user

from app.api import bp, login_required, staff_required
from app.api.schemas import Items
from app.api.schemas.events import Event as EventShape
from app.api.schemas.inputs import EventIn, Reason
from app.api.schemas.queries import EventsQuery
from app.api.spec import operation
from app.events import places, queries, questions, services
from app.extensions import db
from app.models.event import HOSTS
from app.timezones import now_utc


@bp.get("/events")
@operation("Published events", Items[EventShape], query=EventsQuery, auth=False)
def events(query: EventsQuery):
    filters = {"kind": query.kind, "district": query.district, "start": query.from_, "end": query.to, "q": query.q}
    if query.status == "draft":
        if not current_user.is_authenticated or not current_user.is_staff:
            return {"items": []}
        found = queries.drafts_query(HOSTS if current_user.is_admin else (current_user.district, "joint"), **filters)
    else:
        found = queries.public_events_query(statuses=(query.status or "published",), **filters)
    found = list(db.session.scalars(found.limit(500)))
    counted = places.counts([e.id for e in found])
    return Items[EventShape](items=[EventShape.of(e, counted[e.id]) for e in found])


def _fields(body: EventIn) -> dict:
    """The fields sent, as the events service reads them (and as a page's form gives them)."""
    return body.model_dump(mode="json", exclude_unset=True, exclude={"questions"})


@bp.get("/events/<int:event_id>")
@operation("One event", EventShape, "404", auth=False)
def show_event(event_id: int):
    return EventShape.of(services.visible_event(current_user, event_id))


@bp.post("/events")
@staff_required
@operation("Create a draft", EventShape, "401 403 409", status=201, body=EventIn)
def create_event(body: EventIn):
    created = services.create_event(current_user, _fields(body))
    _questions(created, body)
    return EventShape.of(created), 201


@bp.patch("/events/<int:event_id>")
@login_required
@operation("Update an event", EventShape, "401 403 404 409", body=EventIn)
def update_event(event_id: int, body: EventIn):
    updated = services.update_event(current_user, event_id, _fields(body))
    _questions(updated, body)
    return EventShape.of(updated)


def _questions(event, body: EventIn) -> None:
    """`questions`, when sent, replace the event's registration questions (the same request's unit of
    work, so a refused list leaves the event unchanged too)."""
    if "questions" in body.model_fields_set:
        items = [q.model_dump(mode="json", exclude_unset=True) for q in body.questions or []]
        questions.replace_questions(current_user, event, items)


@bp.post("/events/<int:event_id>/publish")
@login_required
@operation("Publish an event", EventShape, "401 403 404 409 422")
def publish_event(event_id: int):
    published = services.publish_event(current_user, event_id)
    return EventShape.of(published)


@bp.post("/events/<int:event_id>/cancel")
@login_required
@operation("Cancel an event", EventShape, "401 403 404 409 422", body=Reason, body_required=False)
def cancel_event(event_id: int, body: Reason):
    cancelled = services.cancel_event(current_user, event_id, (body.reason or "")[:500], now=now_utc())
    return EventShape.of(cancelled)
