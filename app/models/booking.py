"""Room bookings, including the reservations events make for their sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, Integer, String, event, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
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
        Index("ix_bookings_room_time", "room_id", "starts_at", "ends_at"),
        Index("ix_bookings_status_start", "status", "starts_at"),
        # The last line of defence against double booking: PostgreSQL refuses two holding
        # bookings of one room whose [start, end) ranges overlap.
        ExcludeConstraint(
            (text("room_id"), "="),
            (func.tstzrange(text("starts_at"), text("ends_at"), "[)"), "&&"),
            where=text("status IN ('pending', 'confirmed')"),
            using="gist",
            name="ex_bookings_room_overlap",
        ).ddl_if(dialect="postgresql"),
    )

    @property
    def holds_room(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def is_event_reservation(self) -> bool:
        return self.event_session_id is not None


event.listen(
    Base.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)
