"""Events (exchanges, study tours, youth camps) and their sessions; sign-ups are in registration.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.check_in_window import CheckInWindow, check_in_window, margins, open_at
from app.models.home import Room
from app.models.question import Question
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
    # Read with the event by a sign-up, which checks the answers against them (`questions.questions_of`).
    questions: Mapped[list[Question]] = relationship(order_by="[Question.position, Question.id]", viewonly=True)

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

    @staticmethod
    def check_in_margins() -> tuple[timedelta, timedelta]:
        return margins("CHECK_IN_OPENS_MINUTES", "CHECK_IN_CLOSES_MINUTES")

    @property
    def check_in_window(self) -> CheckInWindow:
        """From CHECK_IN_OPENS_MINUTES before the start to CHECK_IN_CLOSES_MINUTES after the end."""
        return check_in_window(self.starts_at, self.ends_at, *self.check_in_margins())

    @hybrid_method
    def check_in_open(self, now: datetime):
        """Whether the window holds `now`: a bool on a session, a clause on the class (for queries)."""
        return open_at(self.starts_at, self.ends_at, now, *self.check_in_margins())
