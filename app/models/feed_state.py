"""Counters that feeds key their validators on: one row per kind of content, bumped in the same
transaction as any change to it, so a validator is one primary-key read and never misses a change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class FeedState(Base):
    __tablename__ = "feed_states"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FeedFragment(Base):
    """One entry of the feeds, rendered once: the VEVENT text of an event's session or of a booking,
    rebuilt in the transaction of any change the calendars show (app/feeds/fragments.py).

    `kind` is `session` or `booking`; `variant` is `""` for a session, `busy` for a booking as the
    public sees it (no title) and a language code for a booking with its details. `base` is the
    PUBLIC_BASE_URL its links were built from."""

    __tablename__ = "feed_fragments"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    object_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant: Mapped[str] = mapped_column(String(8), primary_key=True, default="")
    event_id: Mapped[int | None] = mapped_column(Integer, index=True)
    base: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
