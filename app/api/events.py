"""API: events — list, read, create, update, publish, cancel."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, json_body, login_required, staff_required
from app.errors.domain import ValidationFailed
from app.events import places, services
from app.extensions import db
from app.models import Event
from app.models.event import HOSTS, KINDS
from app.models.user import DISTRICTS
from app.timezones import iso_local, now_utc, parse_datetime
from app.urls import public_url


def venue_json(event: Event) -> dict | None:
    if event.room is not None:
        return {
            "room_id": event.room_id,
            "room": event.room.name,
            "home": event.room.home.district,
            "address": event.room.home.address,
        }
    return {"address": event.address} if event.address else None


def event_json(event: Event, counted: tuple[int, int] | None = None) -> dict:
    confirmed, waiting = counted if counted is not None else places.counts([event.id])[event.id]
    return {
        "id": event.id,
        "kind": event.kind,
        "subtype": event.subtype,
        "title": event.title,
        "description": event.description,
        "host": event.host,
        "start": iso_local(event.starts_at),
        "end": iso_local(event.ends_at),
        "sessions": [
            {"id": s.id, "title": s.title, "start": iso_local(s.starts_at), "end": iso_local(s.ends_at)}
            for s in event.sessions
        ],
        "venue": venue_json(event),
        "capacity": event.capacity,
        "quota": event.quota,
        "places_left": max(0, event.capacity - confirmed),
        "waitlist_count": waiting,
        "registration_opens_at": iso_local(event.registration_opens_at),
        "registration_closes_at": iso_local(event.registration_closes_at),
        "status": services.display_status(event),
        "theme": event.theme,
        "itinerary": event.itinerary or [],
        "min_age": event.min_age,
        "max_age": event.max_age,
        "sequence": event.sequence,
        "url": public_url("events.show", event_id=event.id),
    }


def _time_arg(name: str):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise ValidationFailed({name: _("Use an ISO 8601 date and time.")}) from None


@bp.get("/events")
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
    query = db.select(Event).order_by(Event.starts_at, Event.id)
    if status == "draft":
        if not current_user.is_authenticated or not current_user.is_staff:
            return {"items": []}
        hosts = HOSTS if current_user.is_admin else (current_user.district, "joint")
        query = query.where(Event.status == "draft", Event.host.in_(hosts))
    else:
        query = query.where(Event.is_public, Event.status == (status or "published"))
    if kind:
        query = query.where(Event.kind == kind)
    if district:
        query = query.where(Event.host.in_((district, "joint")))
    if start:
        query = query.where(Event.ends_at > start)
    if end:
        query = query.where(Event.starts_at < end)
    found = list(db.session.scalars(query.limit(500)))
    counted = places.counts([e.id for e in found])
    return {"items": [event_json(e, counted[e.id]) for e in found]}


@bp.get("/events/<int:event_id>")
def show_event(event_id: int):
    return event_json(services.visible_event(current_user, event_id))


@bp.post("/events")
@staff_required
def create_event():
    created = services.create_event(current_user, json_body())
    return event_json(created), 201


@bp.patch("/events/<int:event_id>")
@login_required
def update_event(event_id: int):
    updated = services.update_event(current_user, event_id, json_body())
    return event_json(updated)


@bp.post("/events/<int:event_id>/publish")
@login_required
def publish_event(event_id: int):
    published = services.publish_event(current_user, event_id)
    return event_json(published)


@bp.post("/events/<int:event_id>/cancel")
@login_required
def cancel_event(event_id: int):
    data = request.get_json(silent=True)
    reason = data.get("reason", "") if isinstance(data, dict) and isinstance(data.get("reason"), str) else ""
    cancelled = services.cancel_event(current_user, event_id, reason[:500], now=now_utc())
    return event_json(cancelled)
