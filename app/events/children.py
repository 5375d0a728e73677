"""Youth camps: the children a guardian signs up, checked field by field, by age on the first day, and once each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.errors.domain import Conflict, RuleViolation, ValidationFailed
from app.extensions import db
from app.models import Event, Participant, Registration
from app.models.event import ACTIVE_REGISTRATION_STATUSES
from app.text import clean_multiline, text_problem
from app.timezones import parse_date, to_local

MAX_CHILDREN = 10


@dataclass
class Child:
    name: str
    birth_date: date
    guardian_relation: str
    emergency_contact: str
    health_notes: str | None


def clean_children(event: Event, data: dict) -> list[Child]:
    raw = data.get("participants")
    if raw is None and data.get("participant") is not None:
        raw = [data.get("participant")]
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_CHILDREN:
        raise ValidationFailed(
            {"participant": _("Give the child's name, birth date, your relation and an emergency contact.")}
        )
    first_day = to_local(event.starts_at).date()
    errors: dict[str, str] = {}
    children = []
    for index, item in enumerate(raw):
        prefix = "participant" if len(raw) == 1 and "participant" in data else f"participants.{index}"
        child = _child(item, prefix, first_day, errors)
        if child is not None and not errors:
            children.append(child)
    if errors:
        raise ValidationFailed(errors)
    return children


def _child(item: object, prefix: str, first_day: date, errors: dict) -> Child | None:
    """One child as the guardian gave it, or None with its problems added to `errors`."""
    if not isinstance(item, dict):
        errors[prefix] = _("Each child needs name, birth date, relation and emergency contact.")
        return None
    values = {
        k: item.get(k).strip() if isinstance(item.get(k), str) else None
        for k in ("name", "guardian_relation", "emergency_contact", "health_notes")
    }
    for key in ("name", "guardian_relation", "emergency_contact"):
        if not values[key] or len(values[key]) > 200:
            errors[f"{prefix}.{key}"] = _("This field is required.")
    for key in ("name", "guardian_relation", "emergency_contact", "health_notes"):
        problem = text_problem(values[key], multiline=key == "health_notes")
        if problem:
            errors[f"{prefix}.{key}"] = problem
    try:
        born = parse_date(item.get("birth_date")) if isinstance(item.get("birth_date"), str) else None
    except ValueError:
        born = None
    if born is None or born > first_day:
        errors[f"{prefix}.birth_date"] = _("Use a date like 2014-05-01.")
        return None
    if errors:
        return None
    return Child(
        values["name"][:100],
        born,
        values["guardian_relation"][:50],
        values["emergency_contact"][:200],
        clean_multiline(values["health_notes"] or "")[:1000] or None,
    )


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_ages(event: Event, children: list[Child]) -> None:
    first_day = to_local(event.starts_at).date()
    wrong = {}
    for index, child in enumerate(children):
        age = age_on(child.birth_date, first_day)
        if (event.min_age is not None and age < event.min_age) or (event.max_age is not None and age > event.max_age):
            wrong[f"participants.{index}.birth_date"] = _(
                "%(name)s will be %(age)s on the first day; this camp is for ages %(low)s to %(high)s.",
                name=child.name,
                age=age,
                low=event.min_age,
                high=event.max_age,
            )
    if wrong:
        raise RuleViolation(_("A child is outside the camp's age range."), code="age_out_of_range", fields=wrong)


def check_not_signed_up(event: Event, children: list[Child]) -> None:
    """The same child (name and birth date) is signed up at most once per event, whoever the guardian."""
    keys = [(c.name, c.birth_date) for c in children]
    if len(set(keys)) != len(keys):
        raise Conflict(_("The same child is listed twice."), code="already_registered")
    rows = db.session.execute(
        db.select(Participant.name, Participant.birth_date)
        .join(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_REGISTRATION_STATUSES))
    ).all()
    if set(keys) & {(r.name, r.birth_date) for r in rows}:
        raise Conflict(_("This child is already signed up for this event."), code="already_registered")
