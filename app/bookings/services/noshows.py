"""No-shows and booking suspensions.

A confirmed booking not checked in when its check-in window closes becomes `no_show`, which
stops it holding the room (the rest of the slot is free). Three no-shows within 90 days suspend
booking for 30 days; organisers can lift a suspension.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam

from app import audit
from app.bookings.services.holds import touch_room
from app.database import unindexed
from app.errors.domain import Conflict, NotPermitted
from app.extensions import db
from app.models import Booking, Room, User
from app.models.base import UTCDateTime
from app.notifications.outbox import in_user_locale, notify
from app.timezones import now_utc, to_local


def process_no_shows(now: datetime | None = None, user_id: int | None = None) -> int:
    """Mark overdue confirmed bookings (of one user, or of everyone) as no-shows and suspend
    repeat offenders. Safe to run concurrently: rows another run has locked are skipped."""
    now = now or now_utc()
    overdue_ids = _overdue(Booking.check_in_closed_before(now), user_id)
    ids = list(db.session.scalars(overdue_ids.with_for_update(skip_locked=True)))
    if not ids:
        return 0
    overdue = list(db.session.scalars(db.select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id)))
    rooms: set[int] = set()
    for booking in overdue:
        booking.status = "no_show"
        booking.status_reason = "not checked in"
        booking.sequence = (booking.sequence or 0) + 1
        rooms.add(booking.room_id)
    for room_id in rooms:
        touch_room(db.session.get(Room, room_id))
    for booker_id in {b.user_id for b in overdue}:
        _suspend_if_repeated(db.session.get(User, booker_id), now)
    db.session.flush()
    return len(overdue)


def _overdue(closed_before, user_id=None):
    """The ids of confirmed bookings (of one user, or of everyone) whose check-in closed unused:
    they start before `closed_before` (`Booking.check_in_closed_before`; a value or a bound parameter)."""
    status = Booking.status if user_id is None else unindexed(Booking.status)
    query = db.select(Booking.id).where(
        status == "confirmed",
        Booking.checked_in_at.is_(None),
        Booking.event_session_id.is_(None),
        Booking.user_id.is_not(None),
        Booking.starts_at < closed_before,
    )
    return query if user_id is None else query.where(Booking.user_id == user_id)


@cache
def first_overdue():
    """`_overdue` of one user as one id, built once (it runs before every booking, in its first
    read): the moment the windows closed and the user are bound parameters."""
    return _overdue(bindparam("closed_before", type_=UTCDateTime()), bindparam("user_id")).limit(1)


def _suspend_if_repeated(user: User, now: datetime) -> None:
    config = current_app.config
    if user.booking_suspended_until is not None and user.booking_suspended_until > now:
        return
    since = now - timedelta(days=config["NO_SHOW_WINDOW_DAYS"])
    count = db.session.scalar(
        db.select(db.func.count(Booking.id)).where(
            Booking.user_id == user.id, Booking.status == "no_show", Booking.starts_at >= since
        )
    )
    if count < config["NO_SHOW_LIMIT"]:
        return
    user.booking_suspended_until = now + timedelta(days=config["SUSPENSION_DAYS"])
    audit.record(None, "booking.suspend", user, district=user.district, no_shows=count)
    with in_user_locale(user):
        until = to_local(user.booking_suspended_until).strftime("%Y-%m-%d")
        notify(
            user,
            "booking_suspended",
            _("Room booking suspended"),
            _(
                "You missed %(n)s bookings in %(days)s days, so you cannot book rooms until %(until)s.",
                n=count,
                days=config["NO_SHOW_WINDOW_DAYS"],
                until=until,
            ),
        )


def lift_suspension(actor: User, user: User, now: datetime | None = None) -> None:
    """An organiser (either home) or admin ends a user's booking suspension; audited."""
    now = now or now_utc()
    if not actor.is_staff:
        raise NotPermitted(_("Only organisers may do this."))
    if user.booking_suspended_until is None or user.booking_suspended_until <= now:
        raise Conflict(_("This user is not suspended."), code="not_suspended")
    audit.record(actor, "booking.lift_suspension", user, district=actor.district, until=user.booking_suspended_until)
    user.booking_suspended_until = None
    db.session.flush()
