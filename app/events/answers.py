"""Answers to an event's registration questions: checked like every other field, shown to the
person and the organisers, exported, and erased with the participant's personal data."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from app.errors.domain import ValidationFailed
from app.events.questions import ANSWER_LIMIT, locale, questions_of
from app.extensions import db
from app.models import Answer, Question, Registration
from app.models.event import Event
from app.text import clean_multiline, text_problem


def _missing(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _value(question: Question, value):
    """The stored form of one answer, or a ValueError with the problem."""
    if question.kind == "yes_no":
        if not isinstance(value, bool):
            raise ValueError(_("Answer yes or no."))
        return value
    if question.kind == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(_("Choose from the options given."))
        if any(v not in question.options for v in value) or len(set(value)) != len(value):
            raise ValueError(_("Choose from the options given."))
        return [o for o in question.options if o in value]
    if not isinstance(value, str):
        raise ValueError(_("Give a text."))
    if question.kind == "choice":
        if value not in question.options:
            raise ValueError(_("Choose from the options given."))
        return value
    multiline = question.kind == "long_text"
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise ValueError(problem)
    value = clean_multiline(value) if multiline else value.strip()
    if len(value) > ANSWER_LIMIT[question.kind]:
        raise ValueError(_("Use at most %(n)s characters.", n=ANSWER_LIMIT[question.kind]))
    return value


def clean_answers(event: Event, raw) -> list[tuple[Question, object]]:
    """`{"<question id>": value}` checked against the event's questions; problems under `answers.<id>`."""
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ValidationFailed({"answers": _("Give the answers as an object keyed by question id.")})
    questions = questions_of(event)
    known = {str(q.id) for q in questions}
    errors = {f"answers.{key}": _("This event has no such question.") for key in raw if str(key) not in known}
    cleaned = []
    for question in questions:
        value = raw.get(str(question.id))
        if _missing(value):
            if question.required:
                errors[f"answers.{question.id}"] = _("This question needs an answer.")
            continue
        try:
            cleaned.append((question, _value(question, value)))
        except ValueError as problem:
            errors[f"answers.{question.id}"] = str(problem)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def save_answers(registration: Registration, cleaned: list[tuple[Question, object]]) -> dict[str, object]:
    """Store a new sign-up's answers; returns them as `answers_of` would read them back."""
    for question, value in cleaned:
        db.session.add(Answer(registration_id=registration.id, question_id=question.id, value=value))
    return {str(question.id): value for question, value in cleaned}


def answers_of(registration: Registration) -> dict[str, object]:
    """`{"<question id>": value}`, as the API gives them back."""
    rows = db.session.scalars(db.select(Answer).where(Answer.registration_id == registration.id))
    return {str(a.question_id): a.value for a in rows}


def event_answers(event: Event) -> dict[int, dict[str, object]]:
    """Every sign-up's answers to the event's questions, by registration id (as `answers_of`)."""
    found: dict[int, dict[str, object]] = {}
    rows = db.session.execute(
        db.select(Answer.registration_id, Answer.question_id, Answer.value)
        .join(Registration, Registration.id == Answer.registration_id)
        .where(Registration.event_id == event.id)
    )
    for registration_id, question_id, value in rows:
        found.setdefault(registration_id, {})[str(question_id)] = value
    return found


def shown(question: Question, value) -> str:
    """An answer as people read it."""
    if value is None:
        return ""
    if question.kind == "yes_no":
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "、".join(value) if locale().startswith("zh") else ", ".join(value)
    return str(value)


def answered(registration: Registration) -> list[tuple[str, str]]:
    """(label, answer) pairs in the questions' order, for pages."""
    values = answers_of(registration)
    return [
        (q.label(locale()), shown(q, values[str(q.id)]))
        for q in questions_of(registration.event)
        if str(q.id) in values
    ]


def answer_columns(event: Event) -> list[tuple[str, Callable[[Registration], str]]]:
    """One export column per question: its label and how a registration's answer reads. The
    answers of all the event's sign-ups are read together, once, when the first cell is asked for."""
    columns = []
    read: list[dict[int, dict[str, object]]] = []

    def answers(registration: Registration) -> dict[str, object]:
        if not read:
            read.append(event_answers(event))
        return read[0].get(registration.id, {})

    for question in questions_of(event):

        def cell(registration: Registration, question: Question = question) -> str:
            return shown(question, answers(registration).get(str(question.id)))

        columns.append((question.label(locale()), cell))
    return columns


def erase_answers(registration_ids) -> None:
    """Erase the answers of these registrations (a select of ids), as with children's details."""
    db.session.execute(
        db.delete(Answer)
        .where(Answer.registration_id.in_(registration_ids))
        .execution_options(synchronize_session=False)
    )
