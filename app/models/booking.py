"""Room bookings, including the reservations events make for their sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, Integer, String, and_, event, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import BindParameter

from app.models.base import Base, UTCDateTime, one_of, utcnow
from app.models.check_in_window import CheckInWindow, check_in_window, closed_by, margins, open_at
from app.models.home import Room
from app.models.user import User

PURPOSES = ("seminar", "training", "networking", "other")
# Statuses that hold the room; anything else leaves the slot free.
HOLDING_STATUSES = ("pending", "confirmed")
STATUSES = ("pending", "confirmed", "rejected", "cancelled", "no_show")


class Booking(Base):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    event_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(16), default="other")
    attendees: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_reason: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    room: Mapped[Room] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        CheckConstraint("attendees > 0", name="attendees_positive"),
        one_of("status", STATUSES),
        one_of("purpose", PURPOSES),
        Index("ix_bookings_room_time", "room_id", "starts_at", "ends_at"),
        # Serves the overlap filter (`holding_during`): the scan starts at the room's first booking
        # ending after the asked start, so the ever-growing past is never read.
        Index("ix_bookings_room_end", "room_id", "ends_at", "starts_at"),
        Index("ix_bookings_status_start", "status", "starts_at"),
        # Bookings still running after a moment: the statistics of a date range.
        Index("ix_bookings_ends_at", "ends_at"),
        # The last line of defence against double booking: PostgreSQL refuses two holding
        # bookings of one room whose [start, end) ranges overlap.
        ExcludeConstraint(
            (text("room_id"), "="),
            (func.tstzrange(text("starts_at"), text("ends_at"), "[)"), "&&"),
            where=text(f"status IN ({', '.join(repr(s) for s in HOLDING_STATUSES)})"),
            using="gist",
            name="ex_bookings_room_overlap",
        ).ddl_if(dialect="postgresql"),
    )

    @classmethod
    def holding_during(cls, room_ids, start: datetime, end: datetime):
        """SQL: the holding bookings of the rooms whose [starts_at, ends_at) overlaps [start, end)
        (touching ones do not): the one overlap filter of every read of busy time (timelines, free
        rooms, alternatives).

        Both bounds are given, and the (room_id, ends_at, starts_at) index serves them: the index is
        entered at the room's first booking ending after `start` and `starts_at < end` is checked on
        its entries (SQLite is kept from seeking by it), so a read costs the room's bookings from
        `start` on (the booking horizon), never its past. The status is read as `status || ''` so
        that no index on it is preferred. `room_ids` may be an expanding bound parameter (a statement
        built once)."""
        from app.database import not_sought, unindexed  # app.database needs the models first

        return and_(
            cls.room_id.in_(room_ids if isinstance(room_ids, BindParameter) else list(room_ids)),
            unindexed(cls.status).in_(HOLDING_STATUSES),
            cls.ends_at > start,
            not_sought(cls.starts_at) < end,
        )

    @property
    def holds_room(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def is_event_reservation(self) -> bool:
        return self.event_session_id is not None

    @staticmethod
    def check_in_margins() -> tuple[timedelta, timedelta]:
        return margins("BOOKING_CHECK_IN_OPENS_MINUTES", "BOOKING_CHECK_IN_CLOSES_MINUTES")

    @property
    def check_in_window(self) -> CheckInWindow:
        """From BOOKING_CHECK_IN_OPENS_MINUTES before the start to BOOKING_CHECK_IN_CLOSES_MINUTES after it."""
        return check_in_window(self.starts_at, self.starts_at, *self.check_in_margins())

    @hybrid_method
    def check_in_open(self, now: datetime):
        """Whether the window holds `now`: a bool on a booking, a clause on the class (for queries)."""
        before, after = self.check_in_margins()
        return open_at(self.starts_at, self.starts_at, now, before, after)

    @hybrid_method
    def check_in_closed_by(self, now: datetime):
        """Whether the window closed before `now`: a bool on a booking, a clause on the class."""
        return closed_by(self.starts_at, now, self.check_in_margins()[1])

    @classmethod
    def check_in_closed_before(cls, now: datetime) -> datetime:
        """`check_in_closed_by(now)` holds for the bookings that start before this moment: the value
        a statement built once compares `starts_at` with."""
        return now - cls.check_in_margins()[1]

    def visible_to(self, user) -> bool:
        """The booker and the organisers of the booking's home (admins: both homes) see it."""
        if not getattr(user, "is_authenticated", False):
            return False
        return self.user_id == user.id or user.manages_district(self.room.home.district)

    def managed_by(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.manages_district(self.room.home.district)

    def cancel_problem(self, user, now: datetime) -> str | None:
        """Why `user` may not cancel now (an error code), or None. The booker cancels before the
        start; the home's organisers at any time; an event's reservation changes with its event."""
        if not self.visible_to(user):
            return "not_found"
        if self.is_event_reservation:
            return "event_reservation"
        if self.status == "cancelled":
            return "already_cancelled"
        if not self.holds_room:
            return "invalid_state"
        if self.starts_at <= now and not self.managed_by(user):
            return "already_started"
        return None

    def can_cancel(self, user, now: datetime) -> bool:
        return self.cancel_problem(user, now) is None

    def check_in_problem(self, user, now: datetime) -> str | None:
        """Why `user` may not check the booking in now (an error code), or None."""
        if not self.visible_to(user):
            return "not_found"
        if self.is_event_reservation:
            return "event_reservation"
        if self.checked_in_at is not None:
            return "already_checked_in"
        if self.status == "cancelled":
            return "already_cancelled"
        if self.status == "no_show" or not self.check_in_open(now):
            return "outside_check_in_window"
        if self.status != "confirmed":
            return "not_confirmed"
        return None

    def can_check_in(self, user, now: datetime) -> bool:
        return self.check_in_problem(user, now) is None


event.listen(
    Base.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)
