"""The sign-up form (shape only): children at a camp, the event's questions, consent; and the form
as the sign-up service's data, with the service's refusals placed back beside their fields."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, FormField, RadioField, SelectField, StringField, TextAreaField

from app.errors.domain import DomainError
from app.events.children import RELATIONS, relation_labels
from app.events.questions import locale
from app.fields import SupportedDateField
from app.homes.forms import MultiCheckboxField
from app.models import Question

# Child blocks the page holds; the first is shown, the others one at a time ("add another child").
CHILD_BLOCKS = 4
CHILD_FIELDS = ("name", "birth_date", "guardian_relation", "emergency_contact_name", "emergency_contact_phone")


def relation_choices():
    labels = relation_labels()
    return [("", _("Choose…"))] + [(code, labels[code]) for code in RELATIONS]


class ChildForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(_l("Child's name"))
    birth_date = SupportedDateField(_l("Birth date"), description=_l("The age counts on the camp's first day."))
    guardian_relation = SelectField(_l("Your relation to the child"), choices=relation_choices)
    emergency_contact_name = StringField(_l("Emergency contact's name"))
    emergency_contact_phone = StringField(
        _l("Emergency contact's phone"),
        description=_l("A mobile (13800138000) or a landline with its area code (020-81234567)."),
        render_kw={"type": "tel", "autocomplete": "tel", "inputmode": "tel"},
    )
    health_notes = TextAreaField(_l("Health notes (optional)"))

    def typed(self) -> bool:
        return any(self[name].raw_data and self[name].raw_data[0].strip() for name in (*CHILD_FIELDS, "health_notes"))


class SignUpForm(FlaskForm):
    children = FieldList(FormField(ChildForm), min_entries=CHILD_BLOCKS, max_entries=CHILD_BLOCKS)
    consent = BooleanField(
        _l("I agree that my details (and my children's) are used for this event as the privacy notice says")
    )


def _question_field(question: Question):
    label = question.label(locale())
    if question.kind == "long_text":
        return TextAreaField(label)
    if question.kind == "choice":
        return RadioField(label, choices=[(o, o) for o in question.options], validate_choice=False)
    if question.kind == "multi":
        return MultiCheckboxField(label, choices=[(o, o) for o in question.options], validate_choice=False)
    if question.kind == "yes_no":
        return RadioField(label, choices=[("yes", _("Yes")), ("no", _("No"))], validate_choice=False)
    return StringField(label)


def sign_up_form(questions: list[Question]) -> SignUpForm:
    """The sign-up form with a field `q_<id>` for each of the event's questions."""

    class EventSignUpForm(SignUpForm):
        pass

    for question in questions:
        setattr(EventSignUpForm, f"q_{question.id}", _question_field(question))
    form = EventSignUpForm()
    form.questions = [(question, form[f"q_{question.id}"]) for question in questions]
    return form


def typed_blocks(form: SignUpForm) -> list[int]:
    """The child blocks something was typed in, in order."""
    return [index for index, entry in enumerate(form.children) if entry.form.typed()]


def shown_blocks(form: SignUpForm, one_more: bool = False) -> int:
    typed = typed_blocks(form)
    shown = (typed[-1] + 1 if typed else 1) + (1 if one_more else 0)
    return max(1, min(CHILD_BLOCKS, shown))


def _answer(question: Question, field):
    if question.kind == "yes_no":
        return {"yes": True, "no": False}.get(field.data)
    return field.data or None


def sign_up_data(form: SignUpForm, camp: bool) -> dict:
    """The form as the sign-up service's data (only the child blocks typed in)."""
    data = {
        "consent": bool(form.consent.data),
        "answers": {str(question.id): _answer(question, field) for question, field in form.questions},
    }
    if camp:
        data["participants"] = []
        for index in typed_blocks(form):
            child = form.children[index].form
            raw_date = (child.birth_date.raw_data or [""])[0]
            item = {name: child[name].data for name in (*CHILD_FIELDS, "health_notes")}
            item["birth_date"] = child.birth_date.data.isoformat() if child.birth_date.data else raw_date
            data["participants"].append(item)
    return data


def clear_errors(form) -> None:
    for field in form:
        if field.type == "FieldList":
            for entry in field:
                clear_errors(entry.form)
        else:
            field.errors = []


def place_errors(form: SignUpForm, error: DomainError) -> list[str]:
    """Put the service's field problems beside the fields; answer the messages no field can hold."""
    blocks = typed_blocks(form) or [0]
    general = []
    for key, message in (error.fields or {}).items():
        field = _field_for(form, blocks, key.split("."))
        if field is None:
            general.append(message)
        else:
            field.errors = [*field.errors, message]
    if not error.fields or (error.code != "invalid" and error.message not in error.fields.values()):
        general.insert(0, error.message)  # a rule's refusal says what it is about, before the fields
    return general


def _field_for(form: SignUpForm, blocks: list[int], parts: list[str]):
    if parts[0] == "answers" and len(parts) == 2:
        return form._fields.get(f"q_{parts[1]}")
    if parts[0] == "consent":
        return form.consent
    if parts[0] in ("participant", "participants"):
        index = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0
        name = parts[-1] if len(parts) > 1 else "name"
        name = {"emergency_contact": "emergency_contact_name"}.get(name, name)
        child = form.children[blocks[index] if index < len(blocks) else 0].form
        return child._fields.get(name, child.name)
    return None


def place_form_errors(form, error: DomainError) -> list[str]:
    """Any form: the service's field problems beside the fields of the same name; the rest answered."""
    general = []
    for key, message in (error.fields or {}).items():
        field = form._fields.get(key.split(".")[-1])
        if field is None:
            general.append(message)
        else:
            field.errors = [*field.errors, message]
    return general if error.fields else [error.message]
