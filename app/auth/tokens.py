"""Tokens: the secret of a user's calendar feeds, and API tokens (stored as their SHA-256 only)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam

from app.extensions import db
from app.models import ApiToken, User
from app.models.base import UTCDateTime
from app.timezones import now_utc


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def reset_calendar_token(user: User) -> str:
    user.calendar_token = new_calendar_token()
    db.session.flush()
    return user.calendar_token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User, days: int, now: datetime | None = None) -> str:
    now = now or now_utc()
    token = secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user_id=user.id, token_hash=hash_token(token), created_at=now, expires_at=now + timedelta(days=days))
    )
    db.session.flush()
    return token


def user_for_api_token(token: str, now: datetime | None = None) -> User | None:
    """The active user whose unexpired token this is, or None."""
    return db.session.scalar(_TOKEN_USER, {"token_hash": hash_token(token), "now": now or now_utc()})


# Built once: it runs on every API request. Only the user is loaded (the token row is not needed).
_TOKEN_USER = (
    db.select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.expires_at > bindparam("now", type_=UTCDateTime()),
        User.active.is_(True),
    )
)
