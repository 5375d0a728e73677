"""Booking forms: shape only (required, types, end after start); the rules live in the services."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.bookings.services.booking import BookingRequest
from app.fields import MultiLine, OneLine, SupportedDateField
from app.homes.forms import MultiCheckboxField, equipment_labels
from app.models.home import EQUIPMENT
from app.timezones import local_datetime, local_today, parse_date, parse_hhmm


def half_hours(first: int = 7, last: int = 23) -> list[tuple[str, str]]:
    """Wall-clock choices in 30-minute steps: 07:00 … 23:00."""
    times = [f"{h:02d}:{m:02d}" for h in range(first, last) for m in (0, 30)] + [f"{last:02d}:00"]
    return [(t, t) for t in times]


def purpose_choices():
    return [
        ("seminar", _l("Seminar")),
        ("training", _l("Training")),
        ("networking", _l("Networking")),
        ("other", _l("Other")),
    ]


def home_choices():
    return [("", _l("Both homes")), ("liwan", _l("Liwan")), ("nanhai", _l("Nanhai"))]


class FindForm(FlaskForm):
    """The search on the find page (GET, no CSRF)."""

    class Meta:
        csrf = False

    home = SelectField(_l("Home"), choices=home_choices, validators=[Optional()])
    date = SupportedDateField(_l("Date"), validators=[Optional()])
    start = SelectField(_l("From"), choices=lambda: [("", "–"), *half_hours()], validators=[Optional()])
    end = SelectField(_l("Until"), choices=lambda: [("", "–"), *half_hours()], validators=[Optional()])
    min_capacity = IntegerField(_l("People"), validators=[Optional(), NumberRange(1, 1000)])
    equipment = MultiCheckboxField(_l("Equipment"), choices=lambda: [(k, equipment_labels()[k]) for k in EQUIPMENT])

    def validate_end(self, field):
        if field.data and self.start.data and field.data <= self.start.data:
            raise ValidationError(_l("The end must be after the start."))

    def day(self) -> date:
        return self.date.data if self.date.data and not self.date.errors else local_today()

    def interval(self, day: date) -> tuple[datetime, datetime] | None:
        """The searched time on `day` as UTC instants, when both ends are given and in order."""
        if not (self.start.data and self.end.data) or self.end.errors:
            return None
        return local_datetime(day, parse_hhmm(self.start.data)), local_datetime(day, parse_hhmm(self.end.data))


class BookingForm(FlaskForm):
    """A booking, or a weekly series, of one room; the times are wall-clock times in Asia/Shanghai."""

    date = SupportedDateField(_l("Date"), validators=[DataRequired()])
    start = SelectField(_l("From"), choices=lambda: half_hours(), validators=[DataRequired()])
    end = SelectField(_l("Until"), choices=lambda: half_hours(), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), OneLine()])
    purpose = SelectField(_l("Purpose"), choices=purpose_choices)
    attendees = IntegerField(_l("Number of people"), default=1, validators=[DataRequired(), NumberRange(1, 1000)])
    weekly = IntegerField(
        _l("Dates in a weekly series"),
        default=1,
        validators=[Optional(), NumberRange(1, 12)],
        description=_l("1 books this date only; up to 12 books the same time on following weeks."),
    )
    free_dates_only = BooleanField(_l("If some dates are taken, book the free ones only"))

    def validate_end(self, field):
        if field.data and self.start.data and field.data <= self.start.data:
            raise ValidationError(_l("The end must be after the start."))

    def fill_from(self, args) -> None:
        """A new form starts at the date and time of the link that led to it (the find page's grid)."""
        self.date.data = _date_arg(args.get("date")) or local_today()
        self.start.data = args.get("start") or "10:00"
        self.end.data = args.get("end") or _plus_hour(self.start.data)

    def request_for(self, room_id: int) -> BookingRequest:
        day = self.date.data
        return BookingRequest(
            room_id=room_id,
            start=local_datetime(day, parse_hhmm(self.start.data)),
            end=local_datetime(day, parse_hhmm(self.end.data)),
            title=self.title.data,
            purpose=self.purpose.data,
            attendees=self.attendees.data,
            weekly=self.weekly.data or 1,
            free_dates_only=self.free_dates_only.data,
        )


def _date_arg(raw: str | None) -> date | None:
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


def _plus_hour(hhmm: str) -> str:
    try:
        hours, minutes = hhmm.split(":")
        return f"{min(int(hours) + 1, 23):02d}:{minutes}"
    except ValueError:
        return "11:00"


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500), MultiLine()])
