"""Youth camps: the children a guardian signs up, checked field by field, by age on the first day, and once each."""

from __future__ import annotations

import re
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
# A mainland mobile (13x–19x, eleven digits) or a landline with its area code (020-12345678).
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
RELATIONS = ("father", "mother", "grandparent", "other_guardian")


def relation_labels() -> dict[str, str]:
    return {
        "father": _("Father"),
        "mother": _("Mother"),
        "grandparent": _("Grandparent"),
        "other_guardian": _("Other guardian"),
    }


def relation_label(value: str | None) -> str:
    """A relation's display name; older sign-ups gave it as free text, shown as it was typed."""
    return relation_labels().get(value or "", value or "")


@dataclass
class Child:
    name: str
    birth_date: date
    guardian_relation: str
    emergency_contact: str
    health_notes: str | None
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None


def _strings(item: dict) -> dict:
    keys = ("name", "guardian_relation", "emergency_contact", "emergency_contact_name", "emergency_contact_phone")
    values = {k: item.get(k).strip() if isinstance(item.get(k), str) else None for k in keys}
    values["health_notes"] = item.get("health_notes") if isinstance(item.get("health_notes"), str) else None
    return values


def _contact(values: dict, prefix: str, errors: dict) -> None:
    """The contact as name and phone (the phone checked), or as one text as older clients send it."""
    structured = values["emergency_contact_name"] is not None or values["emergency_contact_phone"] is not None
    if not structured:
        if not values["emergency_contact"] or len(values["emergency_contact"]) > 200:
            errors[f"{prefix}.emergency_contact"] = _("Give an emergency contact's name and phone.")
        return
    name, phone = values["emergency_contact_name"], re.sub(r"[\s()]", "", values["emergency_contact_phone"] or "")
    if not name or len(name) > 100:
        errors[f"{prefix}.emergency_contact_name"] = _("Give the emergency contact's name.")
    if not phone:
        errors[f"{prefix}.emergency_contact_phone"] = _("Give the emergency contact's phone.")
    elif not PHONE.match(phone):
        errors[f"{prefix}.emergency_contact_phone"] = _(
            "Use a mobile number like 13800138000 or a landline like 020-81234567."
        )
    values["emergency_contact_phone"] = phone
    values["emergency_contact"] = f"{name} {phone}" if name and phone else None


def _clean_child(item, prefix: str, first_day: date, errors: dict) -> Child | None:
    if not isinstance(item, dict):
        errors[prefix] = _("Each child needs name, birth date, relation and emergency contact.")
        return None
    before = len(errors)
    values = _strings(item)
    if not values["name"] or len(values["name"]) > 100:
        errors[f"{prefix}.name"] = _("Give the child's name.")
    if not values["guardian_relation"] or len(values["guardian_relation"]) > 50:
        errors[f"{prefix}.guardian_relation"] = _("Choose your relation to the child.")
    _contact(values, prefix, errors)
    for key, value in values.items():
        problem = text_problem(value, multiline=key == "health_notes")
        if problem:
            errors[f"{prefix}.{key}"] = problem
    try:
        born = parse_date(item.get("birth_date")) if isinstance(item.get("birth_date"), str) else None
    except ValueError:
        born = None
    if born is None or born > first_day:
        errors[f"{prefix}.birth_date"] = _("Use a date like 2014-05-01.")
    if len(errors) > before:
        return None
    return Child(
        values["name"],
        born,
        values["guardian_relation"],
        values["emergency_contact"],
        clean_multiline(values["health_notes"] or "")[:1000] or None,
        values["emergency_contact_name"],
        values["emergency_contact_phone"],
    )


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
    single = len(raw) == 1 and "participant" in data
    children = [
        _clean_child(item, "participant" if single else f"participants.{index}", first_day, errors)
        for index, item in enumerate(raw)
    ]
    if errors:
        raise ValidationFailed(errors)
    return children


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age_range(event: Event) -> str:
    if event.min_age is not None and event.max_age is not None:
        return f"{event.min_age}–{event.max_age}"
    return f"≥{event.min_age}" if event.min_age is not None else f"≤{event.max_age}"


def check_ages(event: Event, children: list[Child]) -> None:
    """Each child's age on the camp's first day, in its range; a refusal names the child, the birth
    date and the age ("孩子 2：王小明 出生于 2010-03-01，年满 16 岁，超出 10–15 岁")."""
    first_day = to_local(event.starts_at).date()
    wrong = {}
    for index, child in enumerate(children):
        age = age_on(child.birth_date, first_day)
        if (event.min_age is not None and age < event.min_age) or (event.max_age is not None and age > event.max_age):
            wrong[f"participants.{index}.birth_date"] = _(
                "Child %(n)s: %(name)s, born %(born)s, is %(age)s, outside %(range)s",
                n=index + 1,
                name=child.name,
                born=child.birth_date.isoformat(),
                age=age,
                range=_age_range(event),
            )
    if wrong:
        raise RuleViolation(" ".join(wrong.values()), code="age_out_of_range", fields=wrong)


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
