"""Counters that feeds key their validators on: one row per kind of content, bumped in the same
transaction as any change to it, so a validator is one primary-key read and never misses a change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class FeedState(Base):
    __tablename__ = "feed_states"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
