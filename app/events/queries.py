"""Read models of events: the one listing of public events that pages, feeds and the API share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, Home, Room

PER_PAGE = 12
MAX_QUERY = 100


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
    q: str | None = None,
    ended_before: datetime | None = None,
) -> Select:
    """`district` takes its own and joint events, `host` exactly one host; `start`/`end` keep the
    events that overlap them; `q` those whose title, description or place holds it (`matching`);
    `ended_before` the past events, most recent first (the archive)."""
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
    if q and q.strip():
        query = query.where(matching(q))
    order = (Event.starts_at, Event.id)
    if ended_before is not None:
        query = query.where(Event.ends_at <= ended_before)
        order = (Event.starts_at.desc(), Event.id.desc())
    return query.options(selectinload(Event.sessions), selectinload(Event.room).selectinload(Room.home)).order_by(
        *order
    )


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's own characters escaped (escape character backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching(q: str):
    """Events whose title, description, address or room (or its home) holds `q` as it is typed: a
    plain, case-insensitive substring, so Chinese needs no word splitting."""
    pattern = like_pattern(q.strip()[:MAX_QUERY])
    rooms = (
        db.select(Room.id)
        .join(Home)
        .where(
            db.or_(
                *(column.ilike(pattern, escape="\\") for column in (Room.name, Room.name_en, Home.name, Home.name_en))
            )
        )
    )
    return db.or_(
        Event.title.ilike(pattern, escape="\\"),
        Event.description.ilike(pattern, escape="\\"),
        Event.address.ilike(pattern, escape="\\"),
        Event.room_id.in_(rooms),
    )


@dataclass
class Page:
    """One page of a listing: its items, and where it stands among all pages."""

    items: list
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(query: Select, number: int, per_page: int = PER_PAGE) -> Page:
    """Page `number` (from 1; beyond the last gives the last) of the query's rows."""
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, pages=pages, total=total)


def public_events(limit: int | None = None, **filters) -> list[Event]:
    """`public_events_query(**filters)` run, at most `limit` events."""
    query = public_events_query(**filters)
    return list(db.session.scalars(query if limit is None else query.limit(limit)))
