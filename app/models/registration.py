"""Sign-ups to events (a talent, or a guardian's family of children), the children, and check-ins."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.event import ACTIVE_REGISTRATION_STATUSES, REGISTRATION_STATUSES, Event
from app.models.user import User


class Registration(Base):
    """One sign-up: a talent for themself, or a guardian for one or more children (a family)."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    for_children: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    places: Mapped[int] = mapped_column(Integer, default=1)
    # The district whose quota this place counts against (the credential's district).
    district: Mapped[str | None] = mapped_column(String(16))
    check_in_code: Mapped[str] = mapped_column(String(16), unique=True)
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Order on the waiting list: the time the person (re)joined it.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    no_show: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="registration", order_by="Participant.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """Holding a place or a turn on the waiting list."""
        return self.status in ACTIVE_REGISTRATION_STATUSES

    @property
    def has_place(self) -> bool:
        return self.status == "confirmed"

    @property
    def is_waiting(self) -> bool:
        return self.status == "waitlisted"

    def visible_to(self, user: User | None) -> bool:
        """Its owner and the event's organisers see a sign-up; nobody else."""
        owner = user is not None and getattr(user, "is_authenticated", False) and self.user_id == user.id
        return bool(owner) or self.event.managed_by(user)

    def can_cancel(self, user: User | None, now: datetime | None = None) -> bool:
        """An active sign-up: its owner cancels it until the event ends, organisers at any time."""
        if not (self.is_active and self.visible_to(user)):
            return False
        return self.event.managed_by(user) or self.event.ends_at > (now or utcnow())

    def can_promote(self, user: User | None) -> bool:
        """Organisers move a waiting entry up by hand."""
        return self.is_waiting and self.event.managed_by(user)

    __table_args__ = (
        CheckConstraint("places > 0", name="places_positive"),
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in REGISTRATION_STATUSES)})", name="status_known"),
        # One active self sign-up per person and event.
        Index(
            "uq_registrations_active_self",
            "event_id",
            "user_id",
            unique=True,
            sqlite_where=text("for_children = 0 AND status IN ('confirmed', 'waitlisted')"),
            postgresql_where=text("for_children = false AND status IN ('confirmed', 'waitlisted')"),
        ),
        Index("ix_registrations_event_status", "event_id", "status"),
    )


class Participant(Base):
    """A child signed up to a youth camp by their guardian."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    guardian_relation: Mapped[str | None] = mapped_column(String(50))
    # The contact as one text (as older sign-ups gave it), and, for newer ones, its name and phone.
    emergency_contact: Mapped[str | None] = mapped_column(String(200))
    emergency_contact_name: Mapped[str | None] = mapped_column(String(100))
    emergency_contact_phone: Mapped[str | None] = mapped_column(String(20))
    health_notes: Mapped[str | None] = mapped_column(String(1000))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship(back_populates="participants")


class CheckIn(Base):
    """Attendance at one session: of a registration, or of a walk-in."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    walk_in_name: Mapped[str | None] = mapped_column(String(100))
    walk_in_district: Mapped[str | None] = mapped_column(String(16))
    places: Mapped[int] = mapped_column(Integer, default=1)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    registration: Mapped[Registration | None] = relationship()

    __table_args__ = (
        Index("uq_check_ins_session_registration", "session_id", "registration_id", unique=True),
        # Whether a sign-up was checked in (the figures ask it of every sign-up of an event).
        Index("ix_check_ins_registration", "registration_id"),
    )
