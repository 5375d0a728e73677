"""Read models of events: the one listing of public events that pages, feeds and the API share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, Room


def public_events_query(
    *,
    statuses: Iterable[str] = ("published",),
    cancelled_since: datetime | None = None,
    **filters,
) -> Select:
    """Public events (`Event.is_public`) in `statuses`, by first start, sessions and venue loaded;
    `filters` as `_filtered` takes them. With `cancelled_since`, cancelled events only if cancelled
    after it."""
    statuses = tuple(statuses)
    query = db.select(Event).where(Event.is_public, Event.status.in_(statuses))
    if cancelled_since is not None and "cancelled" in statuses:
        query = query.where(db.or_(Event.status != "cancelled", Event.cancelled_at > cancelled_since))
    return _filtered(query, **filters)


def drafts_query(hosts: Iterable[str], **filters) -> Select:
    """Drafts of the given hosts (an organiser's own), in the same order and with the same filters."""
    return _filtered(db.select(Event).where(Event.status == "draft", Event.host.in_(tuple(hosts))), **filters)


def _filtered(
    query: Select,
    *,
    kind: str | None = None,
    district: str | None = None,
    host: str | None = None,
    theme: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Select:
    """`district` takes its own and joint events, `host` exactly one host; `start`/`end` keep the
    events that overlap them."""
    if kind:
        query = query.where(Event.kind == kind)
    if district:
        query = query.where(Event.host.in_((district, "joint")))
    if host:
        query = query.where(Event.host == host)
    if theme:
        query = query.where(Event.theme == theme)
    if start is not None:
        query = query.where(Event.ends_at > start)
    if end is not None:
        query = query.where(Event.starts_at < end)
    return query.options(selectinload(Event.sessions), selectinload(Event.room).selectinload(Room.home)).order_by(
        Event.starts_at, Event.id
    )


def public_events(limit: int | None = None, **filters) -> list[Event]:
    """`public_events_query(**filters)` run, at most `limit` events."""
    query = public_events_query(**filters)
    return list(db.session.scalars(query if limit is None else query.limit(limit)))
