"""Registration questions an event asks at sign-up, and the answers given to them."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, one_of

QUESTION_KINDS = ("text", "long_text", "choice", "multi", "yes_no")
# Kinds whose answer is one of (or several of) the question's options.
OPTION_KINDS = ("choice", "multi")


class Question(Base):
    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    label_zh: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    # The choices of a `choice` or `multi` question, in order; empty for the other kinds.
    options: Mapped[list] = mapped_column(JSON, default=list)

    __table_args__ = (one_of("kind", QUESTION_KINDS),)

    def label(self, locale: str | None) -> str:
        """The label in the reader's language (Chinese unless English is asked for)."""
        return self.label_en if (locale or "").startswith("en") and self.label_en else self.label_zh

    @property
    def has_options(self) -> bool:
        return self.kind in OPTION_KINDS


class Answer(Base):
    """One registration's answer: a string, a list of options (`multi`) or a boolean (`yes_no`)."""

    __tablename__ = "registration_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("event_questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[object] = mapped_column(JSON)

    question: Mapped[Question] = relationship()

    __table_args__ = (UniqueConstraint("registration_id", "question_id", name="uq_registration_answers_one"),)
