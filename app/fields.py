"""Form fields and validators shared by the features' forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import DateField, DateTimeLocalField, SelectField, ValidationError
from wtforms.validators import StopValidation
from wtforms.widgets import Select

from app.text import text_problem
from app.timezones import MAX_YEAR, MIN_YEAR


def _check_year(field) -> None:
    # StopValidation: a DataRequired after it would replace the message with "required".
    if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        field.data = None
        raise StopValidation(_l("Choose a date between %(low)s and %(high)s.", low=MIN_YEAR, high=MAX_YEAR))


class SupportedDateField(DateField):
    """A date within the years the service supports (a mistyped 0001 or 9999 is a form message)."""

    def pre_validate(self, form) -> None:
        _check_year(self)


class SupportedDateTimeField(DateTimeLocalField):
    """A local date and time (HTML datetime-local, minutes) within the years the service supports."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
        _check_year(self)


class OneLine:
    """A single line of text: no line breaks or other control characters (see app.text)."""

    def __call__(self, form, field) -> None:
        problem = text_problem(field.data)
        if problem:
            raise ValidationError(problem)


class MultiLine:
    """Text that may span lines but holds no other control characters (see app.text)."""

    def __call__(self, form, field) -> None:
        problem = text_problem(field.data, multiline=True)
        if problem:
            raise ValidationError(problem)


def form_query(form) -> dict[str, list[str]]:
    """The query arguments that are fields of `form`, for links that keep a filter: anything else
    (`endpoint`, `_external`, …) would be taken by url_for as its own parameter."""
    from flask import request

    return {name: values for name, values in request.args.lists() if name in form._fields}


class QuickSelect(Select):
    """WTForms' select, a plain option (text value, no attributes of its own) written with one
    f-string. WTForms builds each option's attributes through Markup formatting, about 40 µs an
    option here: the time pickers' 33 options each cost more than the rest of their form."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{escape(choice.value)}">{label}</option>')


class TimeSelectField(SelectField):
    """A wall-clock time ("14:30") picked from a list of choices."""

    widget = QuickSelect()
