"""Changing a booking's state: cancel, approve, reject, check in. Each locks the booking row first."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.bookings.services.booking import actionable_booking
from app.bookings.services.holds import touch_room
from app.bookings.services.notices import notify_decision
from app.errors.domain import Conflict, DomainError, NotFound, NotPermitted, RuleViolation
from app.extensions import db
from app.models import Booking, User
from app.text import checked_reason
from app.timezones import now_utc


def _refusal(code: str, booking: Booking | None = None) -> DomainError:
    """The domain error for a refusal code of the booking's predicates."""
    if code == "outside_check_in_window" and booking is not None:
        opens, closes = booking.check_in_window.local_text()
        return RuleViolation(
            _("Check-in for this booking is open from %(opens)s to %(closes)s.", opens=opens, closes=closes),
            code=code,
        )
    if code == "already_started":
        return RuleViolation(_("A booking can only be cancelled before it starts."), code=code)
    if code == "not_found":
        return NotFound(_("No such booking."))
    messages = {
        "event_reservation": _("This is an event's reservation; change the event instead."),
        "already_cancelled": _("This booking is already cancelled."),
        "invalid_state": _("This booking can no longer be cancelled."),
        "already_checked_in": _("Already checked in."),
        "not_confirmed": _("Only confirmed bookings can be checked in."),
    }
    return Conflict(messages[code], code=code)


def _not_event(booking: Booking) -> None:
    if booking.is_event_reservation:
        raise _refusal("event_reservation")


def _set_status(booking: Booking, status: str, actor: User | None = None, reason: str | None = None) -> None:
    booking.status = status
    booking.status_reason = reason
    if actor is not None:
        booking.decided_by_id = actor.id
    booking.sequence = (booking.sequence or 0) + 1
    touch_room(booking.room)


def _reason(reason: str | None) -> str | None:
    """The organiser's reason as told to the booker; optional (the notice then says only what happened)."""
    return checked_reason(reason) or None


def cancel_booking(actor: User, booking_id: int, reason: str | None = None, now: datetime | None = None) -> Booking:
    """The booker cancels before the start; an organiser of the home cancels any time, giving a reason
    if they wish (audited, the booker is told). A cancelled booking frees its slot at once."""
    now = now or now_utc()
    booking = actionable_booking(actor, booking_id)
    problem = booking.cancel_problem(actor, now)
    if problem:
        raise _refusal(problem)
    _cancel(actor, booking, reason)
    db.session.flush()
    return booking


def _cancel(actor: User, booking: Booking, reason: str | None) -> None:
    if booking.user_id != actor.id:
        text = _reason(reason)
        _set_status(booking, "cancelled", actor, text)
        audit.record(actor, "booking.cancel", booking, district=booking.room.home.district, reason=text)
        notify_decision(booking, "cancelled")
    else:
        _set_status(booking, "cancelled", None, _reason(reason))


def decide_booking(actor: User, booking_id: int, approve: bool, reason: str | None = None) -> Booking:
    """An organiser of the home approves (pending → confirmed) or rejects (→ rejected), with an
    optional reason; audited, the booker is told. Anything not pending is a 409."""
    booking = actionable_booking(actor, booking_id)
    if not actor.manages_district(booking.room.home.district):
        raise NotPermitted(_("Only organisers of this home may do this."))
    _not_event(booking)
    if booking.status != "pending":
        raise Conflict(_("Only pending bookings can be approved or rejected."), code="not_pending")
    text = _reason(reason)
    _set_status(booking, "confirmed" if approve else "rejected", actor, text)
    action = "booking.approve" if approve else "booking.reject"
    audit.record(actor, action, booking, district=booking.room.home.district, reason=text)
    notify_decision(booking, "approved" if approve else "rejected")
    db.session.flush()
    return booking


def check_in(actor: User, booking_id: int, now: datetime | None = None) -> Booking:
    """The booker (or an organiser of the home) checks in within the booking's check-in window."""
    now = now or now_utc()
    booking = actionable_booking(actor, booking_id)
    problem = booking.check_in_problem(actor, now)
    if problem:
        raise _refusal(problem, booking)
    booking.checked_in_at = now
    if booking.user_id != actor.id:
        audit.record(actor, "booking.check_in", booking, district=booking.room.home.district)
    db.session.flush()
    return booking


def series_bookings(user: User, series_id: str, lock: bool = False) -> list[Booking]:
    """The bookings of a weekly series, by date, for its booker and the home's organisers; 404 for
    anyone else (as for one booking)."""
    query = db.select(Booking).where(Booking.series_id == series_id).order_by(Booking.starts_at)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    bookings = list(db.session.scalars(query)) if isinstance(series_id, str) and series_id else []
    if not bookings or not bookings[0].visible_to(user):
        raise NotFound(_("No such booking series."))
    return bookings


def cancel_series(actor: User, series_id: str, reason: str | None = None, now: datetime | None = None) -> list[Booking]:
    """Cancel every date of the series that has not started and still holds its room; returns those.
    An organiser's cancellation is audited and told to the booker, as for one booking."""
    now = now or now_utc()
    cancelled = []
    for booking in series_bookings(actor, series_id, lock=True):
        if booking.starts_at > now and booking.can_cancel(actor, now):
            _cancel(actor, booking, reason)
            cancelled.append(booking)
    db.session.flush()
    return cancelled
