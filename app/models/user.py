"""Accounts, their credentials, API tokens and the mutual-recognition registry."""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, one_of, utcnow

ROLES = ("talent", "organiser", "admin")
DISTRICTS = ("liwan", "nanhai")
ISSUERS = ("liwan_yingcai", "nanhai_kunpeng", "foshan_youyue")
TALENT_STATUSES = ("none", "pending", "verified", "rejected")


def new_session_stamp() -> str:
    return secrets.token_hex(16)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="talent")
    district: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    credential_issuer: Mapped[str | None] = mapped_column(String(32))
    credential_number: Mapped[str | None] = mapped_column(String(64))
    talent_status: Mapped[str] = mapped_column(String(16), default="none")
    credential_note: Mapped[str | None] = mapped_column(String(500))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)
    # Part of every session and remember cookie; a new stamp ends all of them.
    session_stamp: Mapped[str] = mapped_column(String(32), default=new_session_stamp, server_default="")
    booking_suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_users_credential", "credential_issuer", "credential_number"),
        Index("ix_users_talent_status", "talent_status"),
        one_of("role", ROLES),
        one_of("talent_status", TALENT_STATUSES),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: deleted accounts cannot log in
        return self.active

    def get_id(self) -> str:  # Flask-Login keeps this in the session and the remember cookie
        return f"{self.id}:{self.session_stamp}"

    def holds_session(self, stamp: str) -> bool:
        """A session or remember cookie made with this stamp still logs the user in."""
        return self.active and hmac.compare_digest(self.session_stamp.encode(), stamp.encode())

    @property
    def is_verified_talent(self) -> bool:
        return self.talent_status == "verified"

    @property
    def is_staff(self) -> bool:
        return self.role in ("organiser", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def manages_district(self, district: str | None) -> bool:
        """An organiser manages their own district; an admin manages both."""
        if self.role == "admin":
            return True
        return self.role == "organiser" and district is not None and self.district == district

    def manages_host(self, host: str) -> bool:
        """Joint events are managed by organisers of either district."""
        if host == "joint":
            return self.is_staff
        return self.manages_district(host)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class RegistryEntry(Base):
    """One valid credential in the districts' shared registry (人才互认信息库)."""

    __tablename__ = "credential_registry"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64))
    holder_name: Mapped[str] = mapped_column(String(100))
    valid_until: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("issuer", "number", name="uq_credential_registry_issuer_number"),)

    def is_valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day

    def holder_is(self, name: str | None) -> bool:
        """Whether the registry names this person as the holder (ignoring spaces, dots and case)."""
        return bool(self.holder_name) and normalise_person_name(self.holder_name) == normalise_person_name(name)


def normalise_person_name(name: str | None) -> str:
    """A name as compared between the registry and an account: width-folded (NFKC), without
    spaces or the middle dots of transliterated names, case-insensitive."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·•・.")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()
