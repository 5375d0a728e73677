"""Events (exchanges, study tours, youth camps), their sessions and registrations."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.home import Room
from app.models.user import User

KINDS = ("exchange", "study_tour", "youth_camp")
HOSTS = ("liwan", "nanhai", "joint")
THEMES = ("red_culture", "traditional_culture", "industry", "rural_revitalisation", "party_services")
SUBTYPES = ("tech_exchange", "hiking", "badminton", "salon", "round_table", "academic_exchange", "other")
EVENT_STATUSES = ("draft", "published", "cancelled", "completed")
REGISTRATION_STATUSES = ("confirmed", "waitlisted", "cancelled")
ACTIVE_REGISTRATION_STATUSES = ("confirmed", "waitlisted")
# Statuses whose attendance is taken, recorded and published.
ATTENDED_EVENT_STATUSES = ("published", "completed")


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subtype: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    host: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # Denormalised from the sessions for listing and feeds: first start, last end.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    address: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column(Integer)
    quota_liwan: Mapped[int | None] = mapped_column(Integer)
    quota_nanhai: Mapped[int | None] = mapped_column(Integer)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    theme: Mapped[str | None] = mapped_column(String(32))
    # [{"time": "09:30", "place": "…", "description": "…"}, …] in order.
    itinerary: Mapped[list] = mapped_column(JSON, default=list)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    room: Mapped[Room | None] = relationship()
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", order_by="EventSession.starts_at", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in EVENT_STATUSES)})", name="status_known"),
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name="kind_known"),
        CheckConstraint(f"host IN ({', '.join(repr(h) for h in HOSTS)})", name="host_known"),
        Index("ix_events_status_start", "status", "starts_at"),
    )

    @hybrid_property
    def is_public(self) -> bool:
        """The public sees an event once it has been published, and from then on (cancelled too); a draft,
        and a draft discarded by cancelling it, never."""
        return self.published_at is not None

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return cls.published_at.is_not(None)

    def managed_by(self, user: User | None) -> bool:
        """Organisers of the hosting district (both for a joint event) and admins."""
        return bool(user is not None and getattr(user, "is_authenticated", False) and user.manages_host(self.host))

    def visible_to(self, user: User | None) -> bool:
        """Anyone sees a public event; an event never published exists only for its organisers."""
        return self.is_public or self.managed_by(user)

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @hybrid_property
    def takes_attendance(self) -> bool:
        """Attendance is taken, recorded and published for published (and completed) events."""
        return self.status in ATTENDED_EVENT_STATUSES

    @takes_attendance.inplace.expression
    @classmethod
    def _takes_attendance_expression(cls):
        return cls.status.in_(ATTENDED_EVENT_STATUSES)

    def display_status(self, now: datetime | None = None) -> str:
        """A published event whose last session has ended reads as completed."""
        if self.status == "published" and self.ends_at <= (now or utcnow()):
            return "completed"
        return self.status

    def sign_up_open(self, now: datetime | None = None) -> bool:
        """A published event takes sign-ups from its opening (else its publishing) until its closing
        (else its start)."""
        now = now or utcnow()
        opens = self.registration_opens_at or self.published_at
        closes = self.registration_closes_at or self.starts_at
        return self.status == "published" and (opens is None or opens <= now) and now < closes

    def can_edit(self, user: User | None) -> bool:
        """Its organisers change it until it is cancelled."""
        return self.managed_by(user) and not self.is_cancelled

    def can_publish(self, user: User | None) -> bool:
        return self.managed_by(user) and self.status == "draft"

    def can_cancel(self, user: User | None) -> bool:
        return self.managed_by(user) and self.status in ("draft", "published")

    @property
    def quota(self) -> dict | None:
        if self.quota_liwan is None and self.quota_nanhai is None:
            return None
        return {"liwan": self.quota_liwan, "nanhai": self.quota_nanhai}


class EventSession(Base):
    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship(back_populates="sessions")

    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_starts"),)

    @property
    def check_in_window(self) -> tuple[datetime, datetime]:
        """From CHECK_IN_OPENS_MINUTES before the start to CHECK_IN_CLOSES_MINUTES after the end."""
        config = current_app.config
        return (
            self.starts_at - timedelta(minutes=config["CHECK_IN_OPENS_MINUTES"]),
            self.ends_at + timedelta(minutes=config["CHECK_IN_CLOSES_MINUTES"]),
        )

    def check_in_open(self, now: datetime) -> bool:
        opens, closes = self.check_in_window
        return opens <= now <= closes


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

    __table_args__ = (Index("uq_check_ins_session_registration", "session_id", "registration_id", unique=True),)
