"""The rooms events reserve: one holding booking per session, made, released and announced here."""

from __future__ import annotations

from app.bookings.services.holds import hold_room, lock_room, touch_room
from app.extensions import db
from app.models import Booking, Event
from app.models.booking import HOLDING_STATUSES


def session_holds(event: Event) -> list[Booking]:
    ids = [s.id for s in event.sessions if s.id]
    if not ids:
        return []
    return list(
        db.session.scalars(
            db.select(Booking).where(Booking.event_session_id.in_(ids), Booking.status.in_(HOLDING_STATUSES))
        )
    )


def has_holds(event: Event) -> bool:
    return event.room_id is None or bool(session_holds(event))


def release_rooms(event: Event) -> None:
    for booking in session_holds(event):
        booking.status = "cancelled"
        booking.sequence += 1
        touch_room(booking.room)
    db.session.flush()


def announce_holds(event: Event) -> None:
    """The event became public: its rooms' feeds change from "booked" to its title."""
    for booking in session_holds(event):
        booking.sequence += 1
        touch_room(booking.room)


def reserve_room(event: Event) -> None:
    room = lock_room(event.room_id)
    for session in event.sessions:
        hold_room(
            room,
            session.starts_at,
            session.ends_at,
            title=event.title,
            status="confirmed",
            event_session_id=session.id,
            user_id=event.created_by_id,
            purpose="other",
            attendees=min(event.capacity, room.capacity),
        )
