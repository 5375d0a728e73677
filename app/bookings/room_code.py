"""Checking in at a room: who may see the room's check-in code (its QR), and what it offers them.

The code posted at a room leads to its check-in page; it is shown only to the organisers of the
room's home (who print it for the door) and to talents holding a booking of the room still to be
checked in, never on a public page.
"""

from __future__ import annotations

from datetime import datetime

import segno
from markupsafe import Markup

from app.extensions import db
from app.models import Booking, Room, User
from app.timezones import now_utc
from app.urls import public_url


def _awaiting_check_in(user: User, room_id: int):
    """The user's confirmed bookings of the room not yet checked in."""
    return db.select(Booking).where(
        Booking.user_id == user.id,
        Booking.room_id == room_id,
        Booking.status == "confirmed",
        Booking.checked_in_at.is_(None),
    )


def candidates(user: User, room_id: int, now: datetime | None = None) -> list[Booking]:
    """The user's bookings of this room whose check-in window is open now (for the QR page)."""
    now = now or now_utc()
    return list(db.session.scalars(_awaiting_check_in(user, room_id).where(Booking.check_in_open(now))))


def visible_to(user, room: Room, now: datetime | None = None) -> bool:
    """The home's organisers (admins: both homes) and a booker whose check-in has not yet closed."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.manages_district(room.home.district):
        return True
    now = now or now_utc()
    pending = _awaiting_check_in(user, room.id).where(~Booking.check_in_closed_by(now))
    return db.session.scalar(pending.with_only_columns(Booking.id).limit(1)) is not None


def qr(room: Room) -> segno.QRCode:
    """The QR code posted at the room: its check-in page."""
    return segno.make(public_url("bookings.room_check_in", room_id=room.id), error="m")


def qr_svg(room: Room) -> Markup:
    return Markup(qr(room).svg_inline(scale=3, title=room.name))
