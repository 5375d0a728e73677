"""Reminders a day ahead: one per confirmed booking and one per session of a confirmed sign-up."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.bookings.place import place_of
from app.extensions import db
from app.models import Booking, Event, EventSession, Home, Notification, Registration, Room, User
from app.notifications.outbox import greeting, in_user_locale, notify
from app.timezones import now_utc
from app.web import format_local, format_weekday

REMINDER_LEAD = timedelta(hours=24)
log = logging.getLogger(__name__)


def booking_key(booking: Booking) -> str:
    return f"reminder:booking:{booking.id}"


def session_key(session: EventSession, registration: Registration) -> str:
    return f"reminder:session:{session.id}:registration:{registration.id}"


def queue_due_reminders(now: datetime | None = None, lead: timedelta = REMINDER_LEAD) -> int:
    """Queue a reminder for everything confirmed that starts within `lead`, unless one was queued
    before. The reminder's dedupe key makes repeated and concurrent runs queue it only once.
    Returns how many were queued."""
    now = now or now_utc()
    until = now + lead
    bookings = db.session.scalars(
        db.select(Booking)
        .where(
            Booking.status == "confirmed",
            Booking.event_session_id.is_(None),
            Booking.starts_at > now,
            Booking.starts_at <= until,
        )
        .options(selectinload(Booking.user), selectinload(Booking.room).selectinload(Room.home))
    ).all()
    places = db.session.execute(
        db.select(EventSession, Registration)
        .join(Event, EventSession.event_id == Event.id)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Event.status == "published",
            Registration.status == "confirmed",
            EventSession.starts_at > now,
            EventSession.starts_at <= until,
        )
        .options(selectinload(Registration.user), selectinload(EventSession.event))
    ).all()
    wanted = [booking_key(b) for b in bookings] + [session_key(s, r) for s, r in places]
    done = _existing_keys(wanted)
    queued = 0
    for booking in bookings:
        if booking_key(booking) not in done and _queue_booking_reminder(booking, now):
            queued += 1
    for session, registration in places:
        if session_key(session, registration) not in done and _queue_session_reminder(session, registration, now):
            queued += 1
    return queued


def _existing_keys(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(db.session.scalars(db.select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))))
    return found


def _when(start: datetime, end: datetime) -> str:
    same_day = format_local(start, "%Y-%m-%d") == format_local(end, "%Y-%m-%d")
    end_text = format_local(end, "%H:%M") if same_day else f"{format_local(end)} ({format_weekday(end)})"
    return f"{format_local(start)} ({format_weekday(start)}) – {end_text}"


def _place(room: Room | None, address: str | None, locale: str) -> str:
    if room is None:
        return address or ""
    home: Home = room.home
    english = locale == "en"
    room_name = (room.name_en if english else "") or room.name
    home_name = (home.name_en if english else "") or home.name
    home_address = (home.address_en if english else "") or home.address
    return f"{room_name}, {home_name} ({home_address})"


def _queue_booking_reminder(booking: Booking, now: datetime) -> bool:
    user = booking.user
    if user is None:
        return False
    with in_user_locale(user):
        subject = _("Reminder: %(title)s, %(time)s", title=booking.title, time=format_local(booking.starts_at))
        body = "\n\n".join(
            [
                greeting(user),
                _("This is a reminder of your room booking:"),
                "\n".join(
                    [
                        booking.title,
                        _("Time: %(when)s", when=_when(booking.starts_at, booking.ends_at)),
                        _("Place: %(place)s", place=_place(booking.room, None, user.locale or "zh")),
                        # Where it is and how to get in, as in the confirmation.
                        *place_of(booking).lines(),
                    ]
                ),
                _("If you cannot come, please cancel the booking so that others can use the room."),
            ]
        )
    ics = _calendar_attachment("booking_ics", booking)
    return notify(user, "reminder", subject, body, ics=ics, dedupe_key=booking_key(booking), now=now) is not None


def _queue_session_reminder(session: EventSession, registration: Registration, now: datetime) -> bool:
    user: User | None = registration.user
    if user is None:
        return False
    event = session.event
    title = f"{event.title} · {session.title}" if session.title and len(event.sessions) > 1 else event.title
    with in_user_locale(user):
        subject = _("Reminder: %(title)s, %(time)s", title=title, time=format_local(session.starts_at))
        body = "\n\n".join(
            [
                greeting(user),
                _("This is a reminder of the event you signed up for:"),
                "\n".join(
                    [
                        title,
                        _("Time: %(when)s", when=_when(session.starts_at, session.ends_at)),
                        _("Place: %(place)s", place=_place(event.room, event.address, user.locale or "zh")),
                        _("Your check-in code: %(code)s", code=registration.check_in_code),
                    ]
                ),
                _(
                    "If you cannot come, please cancel your sign-up "
                    "so that someone on the waiting list can take the place."
                ),
            ]
        )
    ics = _calendar_attachment("event_ics", event)
    key = session_key(session, registration)
    return notify(user, "reminder", subject, body, ics=ics, dedupe_key=key, now=now) is not None


def _calendar_attachment(builder: str, obj) -> str:
    """The entry as a calendar file, attached to the reminder."""
    from app.feeds import ics

    return getattr(ics, builder)(obj)
