"""A talent's own record: events attended and room bookings used (checked in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.extensions import db
from app.models import Booking, CheckIn, Event, Registration, User
from app.timezones import to_local


@dataclass
class AttendedEvent:
    event: Event
    registration: Registration
    sessions: int  # sessions checked in at
    first_check_in: datetime


def attended_events(user: User) -> list[AttendedEvent]:
    rows = db.session.execute(
        db.select(Registration, db.func.count(CheckIn.id), db.func.min(CheckIn.created_at))
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.user_id == user.id)
        .group_by(Registration.id)
    ).all()
    found = [AttendedEvent(r.event, r, n, first) for r, n, first in rows]
    return sorted(found, key=lambda a: a.event.starts_at, reverse=True)


def used_bookings(user: User) -> list[Booking]:
    return list(
        db.session.scalars(
            db.select(Booking)
            .where(Booking.user_id == user.id, Booking.event_session_id.is_(None), Booking.checked_in_at.is_not(None))
            .order_by(Booking.starts_at.desc())
        )
    )


def _venue(event: Event) -> str:
    if event.room is not None:
        return f"{event.room.home.name} · {event.room.name}"
    return event.address or ""


def record_table(user: User) -> tuple[list[str], list[list]]:
    """Events attended, then bookings used, one row each, times in Asia/Shanghai."""
    fmt = "%Y-%m-%d %H:%M"
    header = [_("Type"), _("Title"), _("Place"), _("Start"), _("End"), _("Places"), _("Sessions attended")]
    rows = [
        [
            _("Event"),
            a.event.title,
            _venue(a.event),
            to_local(a.event.starts_at).strftime(fmt),
            to_local(a.event.ends_at).strftime(fmt),
            a.registration.places,
            a.sessions,
        ]
        for a in attended_events(user)
    ]
    rows += [
        [
            _("Room booking"),
            b.title,
            f"{b.room.home.name} · {b.room.name}",
            to_local(b.starts_at).strftime(fmt),
            to_local(b.ends_at).strftime(fmt),
            b.attendees,
            "",
        ]
        for b in used_bookings(user)
    ]
    return header, rows
