"""Helpers for the event tests: dates ahead of now and a published event made through the services."""

from __future__ import annotations

from datetime import timedelta

from app.events import registrations as regs
from app.events import services
from app.extensions import db
from app.timezones import iso_local, now_utc


def ahead(days: int, hour: int = 10) -> str:
    """An ISO time `days` ahead at `hour`:00 Asia/Shanghai."""
    moment = now_utc() + timedelta(days=days)
    local = moment.astimezone(__import__("app.timezones", fromlist=["LOCAL_TZ"]).LOCAL_TZ)
    return iso_local(local.replace(hour=hour, minute=0, second=0, microsecond=0))


def event_body(**fields) -> dict:
    body = {
        "kind": "exchange",
        "subtype": "hiking",
        "title": "荔南人才徒步",
        "host": "liwan",
        "start": ahead(7, 9),
        "end": ahead(7, 12),
        "capacity": 20,
        "venue": {"address": "白云山南门"},
    }
    body.update(fields)
    return body


def published(organiser, **fields):
    event = services.create_event(organiser, event_body(**fields))
    services.publish_event(organiser, event.id)
    db.session.commit()
    return event


def sign(user, event, **data):
    """A sign-up with consent, committed."""
    registration = regs.register(user, event.id, {"consent": True, **data})
    db.session.commit()
    return registration
