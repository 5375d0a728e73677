"""The two talent homes, their rooms and closures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import BindParameter

from app.models.base import Base, UTCDateTime, utcnow

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EQUIPMENT = ("projector", "screen", "microphone", "whiteboard", "video_conference", "piano", "tea_set", "computer")


class Home(Base):
    __tablename__ = "homes"

    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300))
    address_en: Mapped[str] = mapped_column(String(300), default="")
    # {"mon": ["09:00", "21:00"], ..., "sun": null}: one opening interval a weekday, local time.
    opening_hours: Mapped[dict] = mapped_column(JSON, default=dict)

    rooms: Mapped[list[Room]] = relationship(back_populates="home", order_by="Room.id")


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(String(1000), default="")
    # Per-room overrides of the booking defaults in config; None keeps the default.
    max_days_ahead: Mapped[int | None] = mapped_column(Integer)
    min_minutes: Mapped[int | None] = mapped_column(Integer)
    max_minutes: Mapped[int | None] = mapped_column(Integer)
    # Bumped whenever the room's bookings change: feeds and caches key on it.
    version: Mapped[int] = mapped_column(Integer, default=0)

    home: Mapped[Home] = relationship(back_populates="rooms")

    __table_args__ = (CheckConstraint("capacity > 0", name="capacity_positive"),)


class Closure(Base):
    """A time when a home, or one room of it, takes no bookings."""

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    home: Mapped[Home] = relationship()
    room: Mapped[Room | None] = relationship()

    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_starts"),)

    @classmethod
    def during(cls, home_ids, start: datetime, end: datetime):
        """SQL: the closures of the homes (whole home or one room) whose [starts_at, ends_at) overlaps
        [start, end) (touching ones do not): the one filter of every read of closed time (opening
        checks, timelines, free rooms, alternatives). `home_ids` may be an expanding bound parameter."""
        homes = home_ids if isinstance(home_ids, BindParameter) else list(home_ids)
        return and_(cls.home_id.in_(homes), cls.starts_at < end, cls.ends_at > start)
