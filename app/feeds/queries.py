"""Read models of the feeds: what each feed covers, and its validator (cheap aggregates that change
with any change of its rows; the events counter is raised here, in the transaction of the change)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, selectinload

from app.events.queries import public_events_query
from app.extensions import db
from app.models import Booking, Event, EventSession, FeedState, Registration, Room, User
from app.models.booking import HOLDING_STATUSES
from app.timezones import local_today, now_utc

EVENTS = "events"

CANCELLED_KEPT_DAYS = 30
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime


def _validator(*parts) -> Validator:
    stamps = [p for p in parts if isinstance(p, datetime)]
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:20]
    return Validator(f'"{digest}"', max(stamps, default=EPOCH).replace(microsecond=0))


def _stamp(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def stamp_total(column):
    """The sum of a timestamp column: unlike its maximum, it changes when any row is stamped, even
    one whose transaction took its stamp before another's and committed after it."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.func.sum(db.func.extract("epoch", column))
    return db.func.sum((db.func.julianday(column) - 2460000.5) * 86400000)


def public_feed_query(district: str | None, kind: str | None, now: datetime) -> Select:
    """Published events, and cancelled ones for a while so that clients remove them."""
    return public_events_query(
        district=district,
        kind=kind,
        statuses=("published", "cancelled"),
        cancelled_since=now - timedelta(days=CANCELLED_KEPT_DAYS),
    )


def public_feed_event_ids(district: str | None, kind: str | None, now: datetime) -> list[int]:
    return list(db.session.scalars(public_feed_query(district, kind, now).with_only_columns(Event.id)))


def public_feed_events(district: str | None, kind: str | None, now: datetime) -> list[Event]:
    return list(db.session.scalars(public_feed_query(district, kind, now)))


# Bookings changed this recently still show in feeds (as cancelled, say), so calendars drop them.
RECENT = timedelta(days=30)


def shown_in_feeds(now: datetime):
    """SQL: the bookings a feed shows: those that hold their room, and the others changed lately."""
    return db.or_(Booking.status.in_(HOLDING_STATUSES), Booking.updated_at > now - RECENT)


def personal_bookings_query(user: User, now: datetime) -> Select:
    """The user's own room bookings that hold their room, and the others changed in the last 30 days."""
    return (
        db.select(Booking)
        .where(
            Booking.user_id == user.id,
            Booking.event_session_id.is_(None),
            shown_in_feeds(now),
        )
        .order_by(Booking.id)
    )


def personal_bookings(user: User, now: datetime) -> list[Booking]:
    # Each entry names its room and home: loaded together, not one statement per room.
    query = personal_bookings_query(user, now).options(selectinload(Booking.room).selectinload(Room.home))
    return list(db.session.scalars(query))


def personal_booking_ids(user: User, now: datetime) -> list[int]:
    return list(db.session.scalars(personal_bookings_query(user, now).with_only_columns(Booking.id)))


def personal_sign_up_statuses(user: User) -> dict[int, list[str]]:
    """The statuses of the user's sign-ups to public events, by event."""
    by_event: dict[int, list[str]] = {}
    rows = db.session.execute(
        db.select(Registration.event_id, Registration.status)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id, Event.is_public)
        .order_by(Registration.id)
    )
    for event_id, status in rows:
        by_event.setdefault(event_id, []).append(status)
    return by_event


def personal_sign_ups(user: User) -> dict[int, list[Registration]]:
    """The user's sign-ups to public events, by event."""
    by_event: dict[int, list[Registration]] = {}
    registrations = db.session.scalars(
        db.select(Registration)
        .where(Registration.user_id == user.id)
        .order_by(Registration.id)
        # Each entry shows its event and that event's sessions: loaded together, not one statement an event.
        .options(selectinload(Registration.event).selectinload(Event.sessions))
    )
    for registration in registrations:
        if registration.event.is_public:
            by_event.setdefault(registration.event_id, []).append(registration)
    return by_event


def room_holds_query(room: Room) -> Select:
    """The room's holding bookings, each with whether the public may see what holds it: only the
    reservation of a public event may show what it is; talents' bookings and drafts show as busy."""
    return (
        db.select(Booking, Event.is_public)
        .outerjoin(EventSession, EventSession.id == Booking.event_session_id)
        .outerjoin(Event, Event.id == EventSession.event_id)
        .where(Booking.room_id == room.id, Booking.status.in_(HOLDING_STATUSES))
        .order_by(Booking.starts_at, Booking.id)
    )


def room_holds(room: Room) -> list[tuple[Booking, bool]]:
    return [(booking, bool(public)) for booking, public in db.session.execute(room_holds_query(room))]


def room_hold_rows(room: Room) -> list[tuple[int, int | None, bool]]:
    """(booking id, the event session it reserves or None, whether that event is public)."""
    query = room_holds_query(room).with_only_columns(Booking.id, Booking.event_session_id, Event.is_public)
    return [(booking_id, session_id, bool(public)) for booking_id, session_id, public in db.session.execute(query)]


def public_validator(district: str | None, kind: str | None, now: datetime) -> Validator:
    """One primary-key read: the events counter, which every change of an event or its sessions
    raises in its own transaction. The local date is part of it, as cancelled events leave the feed
    with time."""
    state = db.session.get(FeedState, EVENTS, populate_existing=True)
    version, changed = (state.version, state.changed_at) if state else (0, EPOCH)
    return _validator("public", district, kind, version, local_today(now).isoformat(), _stamp(changed))


def personal_validator(user: User) -> Validator:
    b_count, b_latest, b_total = db.session.execute(
        db.select(db.func.count(Booking.id), db.func.max(Booking.updated_at), stamp_total(Booking.updated_at)).where(
            Booking.user_id == user.id
        )
    ).one()
    r_count, r_latest, e_latest, e_seq, r_total, e_total = db.session.execute(
        db.select(
            db.func.count(Registration.id),
            db.func.max(Registration.updated_at),
            db.func.max(Event.updated_at),
            db.func.sum(Event.sequence),
            stamp_total(Registration.updated_at),
            stamp_total(Event.updated_at),
        )
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id)
    ).one()
    return _validator(
        "personal",
        user.id,
        user.calendar_token,
        b_count,
        _stamp(b_latest),
        r_count,
        _stamp(r_latest),
        _stamp(e_latest),
        e_seq,
        str((b_total, r_total, e_total)),
    )


def room_validator(room: Room) -> Validator:
    count, latest, total = db.session.execute(
        db.select(db.func.count(Booking.id), db.func.max(Booking.updated_at), stamp_total(Booking.updated_at)).where(
            Booking.room_id == room.id
        )
    ).one()
    # An event's reservation shows the event itself, so any change of an event changes it too.
    state = db.session.get(FeedState, EVENTS, populate_existing=True)
    events = state.version if state else 0
    return _validator("room", room.id, room.version, count, _stamp(latest), str(total), events)


def booking_validator(booking: Booking) -> Validator:
    return _validator("booking", booking.id, booking.status, _stamp(booking.updated_at))


def event_validator(event: Event) -> Validator:
    return _validator("event", event.id, event.sequence, event.status, _stamp(event.updated_at))


def now() -> datetime:
    return now_utc()


@sa_event.listens_for(Session, "before_flush")
def _count_event_changes(session: Session, _context, _instances) -> None:
    """Raise the events counter in the transaction that changes an event or one of its sessions."""
    watched = (Event, EventSession)
    changed = any(isinstance(row, watched) for row in (*session.new, *session.deleted)) or any(
        isinstance(row, watched) and session.is_modified(row, include_collections=False) for row in session.dirty
    )
    if not changed:
        return
    connection = session.connection()
    table = FeedState.__table__
    bumped = connection.execute(
        table.update().where(table.c.name == EVENTS).values(version=table.c.version + 1, changed_at=now_utc())
    )
    if bumped.rowcount == 0:  # a database made by create_all rather than the migrations
        connection.execute(table.insert().values(name=EVENTS, version=1, changed_at=now_utc()))
