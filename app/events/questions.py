"""Registration questions: organisers ask them on an event, sign-ups answer them.

An answer is a string (`text`, `long_text`, `choice`), a list of options (`multi`) or a boolean
(`yes_no`). Questions may be added once people have signed up only as optional ones, since those
already signed up could not have answered them. Answers are personal data: erased with the
participant's other details (`erase_answers`)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, inspect

from app.errors.domain import NotPermitted, RuleViolation, ValidationFailed
from app.extensions import db
from app.models import Question, Registration, User
from app.models.event import ACTIVE_REGISTRATION_STATUSES, Event
from app.models.question import OPTION_KINDS, QUESTION_KINDS
from app.text import text_problem

MAX_QUESTIONS, MAX_OPTIONS = 30, 30
ANSWER_LIMIT = {"text": 500, "long_text": 3000, "choice": 200}


def kind_labels() -> dict[str, str]:
    return {
        "text": _("Short text"),
        "long_text": _("Long text"),
        "choice": _("One choice"),
        "multi": _("Several choices"),
        "yes_no": _("Yes or no"),
    }


def locale() -> str:
    return str(get_locale() or "zh")


def questions_of(event: Event) -> list[Question]:
    """The event's questions in order: those read with the event where they were (a sign-up reads
    them in its event's statement), else read now."""
    if "questions" in inspect(event).dict:
        return list(event.questions)
    return list(db.session.scalars(_QUESTIONS, {"event_id": event.id}))


# Built once: every sign-up reads its event's questions.
_QUESTIONS = (
    db.select(Question).where(Question.event_id == bindparam("event_id")).order_by(Question.position, Question.id)
)


def has_sign_ups(event: Event) -> bool:
    return (
        db.session.scalar(
            db.select(Registration.id)
            .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_REGISTRATION_STATUSES))
            .limit(1)
        )
        is not None
    )


def _label(value, field: str, errors: dict) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > 300 or text_problem(value):
        errors[field] = _("Give a label of up to 300 characters.")
        return None
    return value.strip()


def _options(kind: str, value, field: str, errors: dict) -> list[str]:
    if kind not in OPTION_KINDS:
        return []
    items = [v.strip() for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []
    bad = not isinstance(value, list) or len(items) != len(value) or any(len(v) > 200 or text_problem(v) for v in items)
    if bad or not 2 <= len(set(items)) == len(items) <= MAX_OPTIONS:
        errors[field] = _("Give from 2 to %(n)s different options of up to 200 characters.", n=MAX_OPTIONS)
    return items


def clean_question(item, prefix: str, errors: dict) -> dict:
    """One question as organisers send it: `label` (both languages) or `label_zh`/`label_en`, `kind`,
    `required`, `options`."""
    if not isinstance(item, dict):
        errors[prefix] = _("Each question needs a label and a kind.")
        return {}
    kind = item.get("kind")
    if kind not in QUESTION_KINDS:
        errors[f"{prefix}.kind"] = _("Use text, long_text, choice, multi or yes_no.")
        kind = "text"
    label = item.get("label")
    zh = _label(item.get("label_zh", label), f"{prefix}.label", errors)
    en = item.get("label_en", label)
    en = _label(en, f"{prefix}.label_en", errors) if en not in (None, "") else zh
    required = item.get("required", False)
    if not isinstance(required, bool):
        errors[f"{prefix}.required"] = _("Use true or false.")
    options = _options(kind, item.get("options", []), f"{prefix}.options", errors)
    return {
        "id": item.get("id"),
        "kind": kind,
        "required": required is True,
        "label_zh": zh,
        "label_en": en,
        "options": options,
    }


def _check_may_ask(event: Event, cleaned: list[dict], existing: dict[int, Question], prefix: str = "questions") -> None:
    """After sign-ups, a new question (or one made required) must be optional."""
    if not has_sign_ups(event):
        return
    wrong = {
        f"{prefix}.{n}.required": _("People have signed up already: a question added now must be optional.")
        for n, q in enumerate(cleaned)
        if q["required"] and not (q["id"] in existing and existing[q["id"]].required)
    }
    if wrong:
        raise RuleViolation(
            _("People have signed up already: a question added now must be optional."),
            code="required_after_sign_up",
            fields=wrong,
        )


def replace_questions(user: User, event: Event, items) -> list[Question]:
    """The API's `questions`: items with a known `id` are changed, others added, missing ones removed."""
    if not event.managed_by(user):
        raise NotPermitted(_("Only organisers of this event may change its questions."))
    if not isinstance(items, list) or len(items) > MAX_QUESTIONS:
        raise ValidationFailed({"questions": _("Give a list of up to %(n)s questions.", n=MAX_QUESTIONS)})
    errors: dict[str, str] = {}
    cleaned = [clean_question(item, f"questions.{n}", errors) for n, item in enumerate(items)]
    if errors:
        raise ValidationFailed(errors)
    existing = {q.id: q for q in questions_of(event)}
    _check_may_ask(event, cleaned, existing)
    kept = []
    for position, data in enumerate(cleaned):
        question = existing.pop(data.pop("id"), None) if isinstance(data.get("id"), int) else None
        question = question or Question(event_id=event.id)
        for key, value in data.items():
            if key != "id":
                setattr(question, key, value)
        question.position = position
        db.session.add(question)
        kept.append(question)
    for gone in existing.values():
        db.session.delete(gone)
    db.session.flush()
    return kept


def add_question(user: User, event: Event, data: dict) -> Question:
    """One more question, last (the page's questions editor)."""
    errors: dict[str, str] = {}
    cleaned = clean_question(data, "question", errors)
    if errors:
        names = {"question.label": "label_zh"}
        raise ValidationFailed({names.get(key, key.removeprefix("question.")): text for key, text in errors.items()})
    current = questions_of(event)
    items = [_as_item(q) for q in current] + [{**cleaned, "id": None}]
    try:
        return replace_questions(user, event, items)[-1]
    except RuleViolation as error:
        raise RuleViolation(error.message, code=error.code, fields={"required": error.message}) from None


def remove_question(user: User, event: Event, question_id: int) -> None:
    items = [_as_item(q) for q in questions_of(event) if q.id != question_id]
    replace_questions(user, event, items)


def _as_item(question: Question) -> dict:
    keys = ("id", "kind", "required", "label_zh", "label_en", "options")
    return {key: getattr(question, key) for key in keys}
