"""Administrators' corrections to the mainland holiday calendar: a date declared a public holiday or a
working day (a make-up working day, 调休上班), winning over the `holidays` package on that date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, one_of, utcnow

HOLIDAY_KINDS = ("holiday", "workday")


class HolidayOverride(Base):
    __tablename__ = "holiday_overrides"
    __table_args__ = (one_of("kind", HOLIDAY_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    name_zh: Mapped[str] = mapped_column(String(60), default="")
    name_en: Mapped[str] = mapped_column(String(60), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def name(self, language: str) -> str:
        """The name in a page language ("zh" or "en"), the Chinese one when there is no English."""
        return (self.name_en if language == "en" and self.name_en else self.name_zh) or ""
