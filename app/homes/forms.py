"""Forms for organisers managing rooms, opening hours and closures (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.fields import MultiLine, OneLine, SupportedDateTimeField
from app.models.home import EQUIPMENT, WEEKDAYS


def equipment_labels() -> dict:
    return {
        "projector": _l("Projector"),
        "screen": _l("Screen"),
        "microphone": _l("Microphone"),
        "whiteboard": _l("Whiteboard"),
        "video_conference": _l("Video conference"),
        "piano": _l("Piano"),
        "tea_set": _l("Tea set"),
        "computer": _l("Computer"),
    }


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoomForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120), OneLine()])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=120), OneLine()])
    capacity = IntegerField(_l("Capacity"), validators=[DataRequired(), NumberRange(1, 1000)])
    equipment = MultiCheckboxField(_l("Equipment"), choices=lambda: [(k, equipment_labels()[k]) for k in EQUIPMENT])
    requires_approval = BooleanField(_l("Bookings need an organiser's approval"))
    active = BooleanField(_l("Open for booking"), default=True)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=1000), MultiLine()])


class ClosureForm(FlaskForm):
    room_id = SelectField(_l("Room"), coerce=int)
    start = SupportedDateTimeField(_l("From"), validators=[DataRequired()])
    end = SupportedDateTimeField(_l("Until"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300), OneLine()])


class HoursForm(FlaskForm):
    """Seven optional pairs: mon_open, mon_close, …; left empty means closed that day."""


for _day in WEEKDAYS:
    setattr(HoursForm, f"{_day}_open", StringField(validators=[Optional(), Length(max=5)]))
    setattr(HoursForm, f"{_day}_close", StringField(validators=[Optional(), Length(max=5)]))
