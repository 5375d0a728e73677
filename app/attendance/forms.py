"""Attendance forms: shape only; the rules live in app.attendance.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.attendance.labels import kind_labels
from app.attendance.services import MAX_WALK_IN_PLACES
from app.fields import OneLine, SupportedDateField
from app.models.event import KINDS


class CodeForm(FlaskForm):
    code = StringField(
        _l("Check-in code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autofocus": True},
    )
    session_id = HiddenField()


class WalkInForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100), OneLine()])
    district = SelectField(
        _l("District"), choices=lambda: [("liwan", _l("Liwan")), ("nanhai", _l("Nanhai")), ("other", _l("Other"))]
    )
    places = IntegerField(_l("Places"), default=1, validators=[NumberRange(min=1, max=MAX_WALK_IN_PLACES)])
    session_id = HiddenField()


class StatisticsForm(FlaskForm):
    """The filter of the statistics page, read from the query string."""

    class Meta:
        csrf = False

    start = SupportedDateField(_l("From"), validators=[Optional()])
    end = SupportedDateField(_l("Until"), validators=[Optional()])
    district = SelectField(
        _l("District"), choices=lambda: [("", _l("Both")), ("liwan", _l("Liwan")), ("nanhai", _l("Nanhai"))], default=""
    )
    kind = SelectField(
        _l("Kind"), choices=lambda: [("", _l("All kinds")), *[(k, kind_labels()[k]) for k in KINDS]], default=""
    )

    def validate_end(self, field):
        if field.data and self.start.data:
            if field.data < self.start.data:
                raise ValidationError(_l("Must not be before the start."))
            if (field.data - self.start.data).days > 3660:
                raise ValidationError(_l("Choose at most ten years."))
