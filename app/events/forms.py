"""Event and sign-up forms (shape only); the rules live in the events services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.fields import MultiLine, OneLine, SupportedDateField, SupportedDateTimeField

VENUE_SUGGESTIONS = (
    "岭南V谷产业园",
    "珠江钢琴创梦园",
    "广州3D打印产业园",
    "南海润慧科技园",
    "昭信金谷湾",
    "中峪智能孵化中心",
)


def kind_choices():
    return [("exchange", _l("Exchange")), ("study_tour", _l("Study tour")), ("youth_camp", _l("Youth camp"))]


def host_choices():
    return [("liwan", _l("Liwan")), ("nanhai", _l("Nanhai")), ("joint", _l("Joint (both districts)"))]


def subtype_choices():
    return [
        ("", "—"),
        ("tech_exchange", _l("Tech talent exchange")),
        ("hiking", _l("Hiking")),
        ("badminton", _l("Badminton friendly")),
        ("salon", _l("Salon")),
        ("round_table", _l("Round-table forum")),
        ("academic_exchange", _l("Academic exchange")),
        ("other", _l("Other")),
    ]


def theme_choices():
    return [
        ("", "—"),
        ("red_culture", _l("Red culture")),
        ("traditional_culture", _l("Traditional culture")),
        ("industry", _l("Industry development")),
        ("rural_revitalisation", _l("Rural revitalisation")),
        ("party_services", _l("Party–mass services")),
    ]


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), OneLine()])
    kind = SelectField(_l("Kind"), choices=kind_choices)
    subtype = SelectField(_l("Type of exchange"), choices=subtype_choices, validators=[Optional()])
    theme = SelectField(_l("Study tour theme"), choices=theme_choices, validators=[Optional()])
    host = SelectField(_l("Host"), choices=host_choices)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000), MultiLine()])
    start = SupportedDateTimeField(_l("Starts"), validators=[DataRequired()])
    end = SupportedDateTimeField(_l("Ends"), validators=[DataRequired()])
    sessions = TextAreaField(
        _l("Sessions (optional)"),
        validators=[Optional(), Length(max=3000), MultiLine()],
        description=_l("For events over several days: one line per session, e.g. 2026-12-19 09:00-16:30."),
    )
    room_id = SelectField(_l("Room of a talent home"), coerce=int)
    address = StringField(
        _l("Or an address"),
        validators=[Optional(), Length(max=300), OneLine()],
        description=_l("Carrier parks and labs are suggested as you type."),
        render_kw={"list": "venues"},
    )
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(1, 10000)])
    quota_liwan = IntegerField(
        _l("Places for Liwan talents (joint events)"), validators=[Optional(), NumberRange(0, 10000)]
    )
    quota_nanhai = IntegerField(
        _l("Places for Nanhai talents (joint events)"), validators=[Optional(), NumberRange(0, 10000)]
    )
    registration_opens_at = SupportedDateTimeField(_l("Sign-up opens"), validators=[Optional()])
    registration_closes_at = SupportedDateTimeField(_l("Sign-up closes"), validators=[Optional()])
    itinerary = TextAreaField(
        _l("Itinerary (study tours)"),
        validators=[Optional(), Length(max=5000), MultiLine()],
        description=_l("One stop per line: time, then place, e.g. 09:30 陈家祠."),
    )
    min_age = IntegerField(_l("Youngest age (camps)"), validators=[Optional(), NumberRange(0, 18)])
    max_age = IntegerField(_l("Oldest age (camps)"), validators=[Optional(), NumberRange(0, 18)])


class ChildForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(_l("Child's name"), validators=[Optional(), Length(max=100), OneLine()])
    birth_date = SupportedDateField(_l("Birth date"), validators=[Optional()])
    guardian_relation = StringField(
        _l("Your relation to the child"), validators=[Optional(), Length(max=50), OneLine()]
    )
    emergency_contact = StringField(
        _l("Emergency contact (name and phone)"), validators=[Optional(), Length(max=200), OneLine()]
    )
    health_notes = TextAreaField(_l("Health notes (optional)"), validators=[Optional(), Length(max=1000), MultiLine()])


class SignUpForm(FlaskForm):
    children = FieldList(FormField(ChildForm), min_entries=4, max_entries=4)
    consent = BooleanField(
        _l("I agree that my details (and my children's) are used for this event as the privacy notice says")
    )
