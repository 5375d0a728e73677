"""The booking rules, one function each: every one raises a domain error with a stable code.

Defaults live in config (BOOKING_*); a room may override the horizon and the length limits.
"Too far ahead" is by local calendar date: a booking may start on any day up to
`max_days_ahead` days after today (Asia/Shanghai), so exactly 30 days ahead is allowed and day 31 is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.database import run_core, unindexed
from app.errors.domain import NotPermitted, RuleViolation, ValidationFailed
from app.extensions import db
from app.homes.opening import closures_overlapping, opening_interval, public_holiday_name
from app.models import Booking, Room, User
from app.models.base import UTCDateTime
from app.models.booking import HOLDING_STATUSES
from app.timezones import local_datetime, local_today, to_local


@dataclass(frozen=True)
class Limits:
    step_minutes: int
    max_days_ahead: int
    min_minutes: int
    max_minutes: int
    max_upcoming: int
    max_week_minutes: int


def limits_for(room: Room) -> Limits:
    """The room's limits: its own overrides, else the configured defaults."""
    config = current_app.config
    return Limits(
        step_minutes=config["BOOKING_STEP_MINUTES"],
        max_days_ahead=room.max_days_ahead or config["BOOKING_MAX_DAYS_AHEAD"],
        min_minutes=room.min_minutes or config["BOOKING_MIN_MINUTES"],
        max_minutes=room.max_minutes or config["BOOKING_MAX_MINUTES"],
        max_upcoming=config["BOOKING_MAX_UPCOMING"],
        max_week_minutes=config["BOOKING_MAX_HOURS_PER_WEEK"] * 60,
    )


def check_may_book(user: User, now: datetime) -> None:
    """Verified talents and staff may book; a suspension stops anyone until it ends."""
    if not (user.is_staff or user.is_verified_talent):
        raise NotPermitted(_("Only verified talents may book rooms."), code="not_verified")
    if user.booking_suspended_until is not None and user.booking_suspended_until > now:
        until = to_local(user.booking_suspended_until).strftime("%Y-%m-%d %H:%M")
        raise NotPermitted(
            _("Booking is suspended until %(until)s after repeated no-shows.", until=until), code="suspended"
        )


def check_steps(start: datetime, end: datetime, limits: Limits) -> None:
    """Start and end fall on the step grid (:00 and :30 local by default)."""
    for name, value in (("start", start), ("end", end)):
        local = to_local(value)
        if local.second or local.microsecond or local.minute % limits.step_minutes:
            raise ValidationFailed(
                {name: _("Times go in steps of %(n)s minutes (e.g. 10:00 or 10:30).", n=limits.step_minutes)}
            )
    if end <= start:
        raise ValidationFailed({"end": _("The end must be after the start.")})


def check_when(start: datetime, end: datetime, limits: Limits, now: datetime) -> None:
    """Not in the past, not beyond the horizon, between the shortest and the longest length."""
    if start < now:
        raise RuleViolation(_("This time has already passed."), code="in_the_past")
    last_day = local_today(now) + timedelta(days=limits.max_days_ahead)
    if to_local(start).date() > last_day:
        raise RuleViolation(
            _("Rooms can be booked at most %(n)s days ahead (until %(day)s).", n=limits.max_days_ahead, day=last_day),
            code="too_far_ahead",
        )
    minutes = (end - start).total_seconds() / 60
    if minutes < limits.min_minutes:
        raise RuleViolation(_("A booking lasts at least %(n)s minutes.", n=limits.min_minutes), code="too_short")
    if minutes > limits.max_minutes:
        raise RuleViolation(
            _("A booking lasts at most %(n)s hours.", n=f"{limits.max_minutes / 60:g}"), code="too_long"
        )


def check_capacity(room: Room, attendees: int) -> None:
    if attendees > room.capacity:
        raise RuleViolation(_("This room holds at most %(n)s people.", n=room.capacity), code="over_capacity")


def opening_problem(room: Room, start: datetime, end: datetime, maybe_closed: bool = True) -> RuleViolation | None:
    """Why the home is not open for [start, end) — a holiday, a closed day, a closure, the hours — or
    None. `maybe_closed` False: the caller has read (`opening.closed_during`) that no closure overlaps."""
    day = to_local(start).date()
    holiday = public_holiday_name(day)
    if holiday:
        return RuleViolation(_("The home is closed on %(day)s (%(name)s).", day=day, name=holiday), code="closed")
    interval = opening_interval(room.home, day)
    if interval is None:
        return RuleViolation(_("The home is closed on %(day)s.", day=day), code="closed")
    opens, closes = interval
    if start < opens or end > closes:
        hours = f"{to_local(opens):%H:%M}–{to_local(closes):%H:%M}"
        return RuleViolation(_("The home is open %(hours)s on that day.", hours=hours), code="outside_opening_hours")
    closures = closures_overlapping(room.home_id, room.id, start, end) if maybe_closed else []
    if closures:
        reason = closures[0].reason or _("closed")
        return RuleViolation(_("The room is not available then: %(reason)s.", reason=reason), code="closed")
    return None


def week_start(day: date) -> date:
    """Monday of the ISO week (local) holding that day."""
    return day - timedelta(days=day.weekday())


def takes_quota_lock(user: User) -> bool:
    """Whether a booking by this user locks them (`lock_quota_holder`): talents on PostgreSQL."""
    return not user.is_staff and db.session.get_bind().dialect.name != "sqlite"


def lock_quota_holder(user: User) -> None:
    """Serialise a talent's bookings: their quota counts what they hold, so two parallel requests
    must not both read the count before either inserts (FOR UPDATE on the user row; SQLite's
    write lock already serialises). Staff have no quota and take no lock. A lock this
    transaction holds already (`quota_holder_locked`) is not taken again."""
    if not takes_quota_lock(user) or db.session.info.get(QUOTA_HOLDER) == user.id:
        return
    db.session.execute(_LOCK_USER, {"id": user.id})


QUOTA_HOLDER = "quota_holder_locked"


def quota_holder_locked(user: User) -> None:
    """Note that a statement of this transaction has locked the user's row (FOR UPDATE OF users),
    outside any savepoint (a savepoint's rollback would release it): `lock_quota_holder` then
    sends nothing."""
    if not db.session().in_nested_transaction():
        db.session.info[QUOTA_HOLDER] = user.id


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_quota_holder(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(QUOTA_HOLDER, None)


# The lock alone: the caller's row is not read again (its checks ran on the row the request found).
_LOCK_USER = db.select(User.id).where(User.id == bindparam("id")).with_for_update()


def check_quota(
    user: User,
    slots: list[tuple[datetime, datetime]],
    limits: Limits,
    now: datetime,
    held: list[tuple[datetime, datetime]] | None = None,
) -> None:
    """A talent holds at most `max_upcoming` bookings that have not ended, and books at most
    `max_week_minutes` per ISO week (Monday–Sunday, local), counting the new slots. Staff are exempt.
    `held`: the talent's holding bookings from `quota_since` on, where the caller has read them
    (`HELD_SINCE`, under the talent's lock)."""
    if user.is_staff or not slots:
        return
    if held is None:
        held = _held_since(user, quota_since(slots, now))
    upcoming = sum(1 for _start, end in held if end > now)
    if upcoming + len(slots) > limits.max_upcoming:
        raise RuleViolation(
            _("You may hold at most %(n)s upcoming bookings.", n=limits.max_upcoming), code="quota_exceeded"
        )
    minutes: dict[date, float] = {}
    for start, end in [*held, *slots]:
        week = week_start(to_local(start).date())
        minutes[week] = minutes.get(week, 0) + (end - start).total_seconds() / 60
    if any(total > limits.max_week_minutes for total in minutes.values()):
        raise RuleViolation(
            _("You may book at most %(n)s hours a week.", n=limits.max_week_minutes // 60), code="quota_exceeded"
        )


def quota_since(slots: list[tuple[datetime, datetime]], now: datetime) -> datetime:
    """From when `check_quota` counts a talent's bookings: the start of the week of today or of the
    first slot, whichever is earlier."""
    return local_datetime(week_start(min(local_today(now), to_local(slots[0][0]).date())), datetime.min.time())


def _held_since(user: User, since: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of the talent's own holding bookings that end after `since`."""
    # Run where no booking of this request waits to be flushed (each hold flushes its own).
    return run_core(HELD_SINCE, {"user_id": user.id, "since": since}).all()


# Built once, run on every booking (parameters user_id and since).
HELD_SINCE = db.select(Booking.starts_at, Booking.ends_at).where(
    Booking.user_id == bindparam("user_id"),
    unindexed(Booking.status).in_(HOLDING_STATUSES),
    Booking.event_session_id.is_(None),
    Booking.ends_at > bindparam("since", type_=UTCDateTime()),
)


def dates_left(user: User, now: datetime) -> int | None:
    """How many more upcoming bookings the talent may hold now (`check_quota`'s count); None for
    staff, who have no quota."""
    if user.is_staff:
        return None
    return max(0, current_app.config["BOOKING_MAX_UPCOMING"] - len(_held_since(user, now)))


def longest_series(user: User, now: datetime) -> int:
    """The most dates a weekly series may have for this user: what the quota still allows a talent
    (at least 1, so a refusal can say why), the configured maximum for staff."""
    most = current_app.config["BOOKING_MAX_WEEKS"]
    left = dates_left(user, now)
    return most if left is None else max(1, min(most, left))
