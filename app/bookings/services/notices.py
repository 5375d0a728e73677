"""Messages to the booker, queued in the outbox in the transaction of the change."""

from __future__ import annotations

from flask_babel import gettext as _

from app.bookings.place import place_of
from app.extensions import db
from app.feeds.fragments import booking_entries_now
from app.feeds.ics import bookings_ics
from app.models import Booking, Room, User
from app.notifications.outbox import greeting, in_user_locale, message_row, notify, queue_with
from app.timezones import to_local


def _when(booking: Booking) -> str:
    start, end = to_local(booking.starts_at), to_local(booking.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _room_name(room: Room, user: User) -> str:
    return room.name_en if (user.locale == "en" and room.name_en) else room.name


def notify_booked(user: User, room: Room, bookings: list[Booking], inserts: tuple = ()) -> None:
    """One message for a new booking or a whole series: confirmed, or waiting for approval; every
    date listed, where the home is and how to get in, and the dates as a calendar file. Written
    with the bookings' calendar entries, and with `inserts`: the rows of bookings whose ids were
    taken ahead (`database.taken_ahead`), not yet written."""
    if not bookings:
        return
    pending = bookings[0].status == "pending"
    with in_user_locale(user):
        subject = (
            _("Booking request received: %(room)s", room=_room_name(room, user))
            if pending
            else _("Booking confirmed: %(room)s", room=_room_name(room, user))
        )
        lines = [greeting(user), ""]
        lines.append(
            _("Your booking waits for an organiser's approval; the time is held for you meanwhile.")
            if pending
            else _("Your booking is confirmed.")
        )
        if len(bookings) > 1:
            lines.append(_("A weekly series of %(n)s dates:", n=len(bookings)))
        lines += [f"- {bookings[0].title} · {_when(b)}" for b in bookings]
        lines += ["", _room_name(room, user), *place_of(bookings[0]).lines()]
        lines += ["", _("Please check in within 15 minutes of the start, or the room is released.")]
        kind = "booking_pending" if pending else "booking_confirmed"
        row = message_row(user, kind, subject, "\n".join(lines), ics=bookings_ics(bookings), booking_id=bookings[0].id)
    # The message and the bookings' calendar entries (which share its rendered text) are written
    # together, with the bookings not yet written: one round trip on PostgreSQL.
    db.session.flush()
    entries = booking_entries_now(bookings)
    queue_with(*inserts, *([entries] if entries else []), row=row)


def notify_decision(booking: Booking, decision: str) -> None:
    """Tell the booker that staff approved, rejected or cancelled their booking: which booking, where
    it is and how to get in (as the confirmation does), linked to the booking's page."""
    user = booking.user
    if user is None:
        return
    with in_user_locale(user):
        room = _room_name(booking.room, user)
        subjects = {
            "approved": _("Booking approved: %(room)s", room=room),
            "rejected": _("Booking declined: %(room)s", room=room),
            "cancelled": _("Booking cancelled by the organisers: %(room)s", room=room),
        }
        lines = [greeting(user), "", f"{booking.title} · {_when(booking)}"]
        if booking.status_reason:
            lines.append(_("Reason: %(reason)s", reason=booking.status_reason))
        lines += ["", room, *place_of(booking).lines()]
        notify(
            user,
            f"booking_{decision}",
            subjects[decision],
            "\n".join(lines),
            ics=bookings_ics([booking]) if decision == "approved" else None,
            dedupe_key=f"booking:{booking.id}:{decision}:{booking.sequence}",
            booking_id=booking.id,
        )
