"""Booking forms: shape only (required, types, end after start); the rules live in the services."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.bookings.services import rules
from app.bookings.services.booking import BookingRequest
from app.fields import MultiLine, OneLine, SupportedDateField, TimeSelectField
from app.homes.forms import MultiCheckboxField, equipment_labels
from app.models import Home, Room, User
from app.models.booking import PURPOSES
from app.models.home import EQUIPMENT
from app.timezones import local_datetime, local_today, now_utc, parse_date, parse_hhmm


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
    start = TimeSelectField(_l("From"), choices=lambda: [("", "–"), *half_hours()], validators=[Optional()])
    end = TimeSelectField(_l("Until"), choices=lambda: [("", "–"), *half_hours()], validators=[Optional()])
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
    """A booking, or a weekly series, of one room; the times are wall-clock times in Asia/Shanghai.

    Built for a room and a booker: the time lists hold the home's opening hours, and the series
    length goes no further than the booker may hold (`rules.longest_series`)."""

    date = SupportedDateField(_l("Date"), validators=[DataRequired()])
    start = TimeSelectField(_l("From"), validators=[DataRequired()])
    end = TimeSelectField(_l("Until"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), OneLine()])
    purpose = SelectField(_l("Purpose"), choices=purpose_choices)
    attendees = IntegerField(_l("Number of people"), default=1, validators=[DataRequired(), NumberRange(1, 1000)])
    weekly = SelectField(_l("Dates in a weekly series"), coerce=int, default=1, validators=[Optional()])
    free_dates_only = BooleanField(_l("If some dates are taken, book the free ones only"))
    # What the search asked for: carried along (hidden) so that alternatives have it too.
    equipment = SelectMultipleField(choices=[(k, k) for k in EQUIPMENT], validate_choice=False)

    def __init__(self, room: Room, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        times = opening_times(room.home)
        self.start.choices = [(t, t) for t in times[:-1]]
        self.end.choices = [(t, t) for t in times[1:]]
        longest = rules.longest_series(user, now_utc())
        self.weekly.choices = [(n, str(n)) for n in range(1, longest + 1)]
        self.weekly.description = series_hint(user, longest)

    def validate_end(self, field):
        if field.data and self.start.data and field.data <= self.start.data:
            raise ValidationError(_l("The end must be after the start."))

    def fill_from(self, args) -> None:
        """A new form starts with what the link that led to it asked: the date and times, the number
        of people (`attendees`, or the search's `min_capacity`), the equipment, title and purpose."""
        self.date.data = _date_arg(args.get("date")) or local_today()
        starts = [value for value, _label in self.start.choices]
        self.start.data = (
            args.get("start") if args.get("start") in starts else ("10:00" if "10:00" in starts else starts[0])
        )
        ends = [value for value, _label in self.end.choices]
        end = args.get("end") or _plus_hour(self.start.data)
        self.end.data = end if end in ends and end > self.start.data else _next(ends, self.start.data)
        people = _int_arg(args.get("attendees") or args.get("min_capacity"))
        self.attendees.data = people if people and 1 <= people <= 1000 else 1
        self.equipment.data = [e for e in args.getlist("equipment") if e in EQUIPMENT]
        if args.get("title"):
            self.title.data = args["title"][:200]
        if args.get("purpose") in PURPOSES:
            self.purpose.data = args["purpose"]

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
            equipment=[e for e in self.equipment.data or [] if e in EQUIPMENT],
        )


def opening_times(home: Home) -> list[str]:
    """Half-hour wall-clock times from the home's earliest opening to its latest closing in the week."""
    hours = [h for h in (home.opening_hours or {}).values() if h]
    if not hours:
        return [t for t, _label in half_hours()]
    first, last = parse_hhmm(min(h[0] for h in hours)), parse_hhmm(max(h[1] for h in hours))
    minutes = range(first.hour * 60 + first.minute, last.hour * 60 + last.minute + 1, 30)
    return [f"{m // 60:02d}:{m % 60:02d}" for m in minutes]


def series_hint(user: User, longest: int) -> str:
    """The real limit of a series for this booker, in words."""
    left = rules.dates_left(user, now_utc())
    if left is None:
        return _("1 books this date only; up to %(n)s books the same time on following weeks.", n=longest)
    if left == 0:
        return _("You already hold as many upcoming bookings as allowed; cancel one to book another.")
    return _("You can hold %(n)s more upcoming bookings, so a weekly series can have up to %(n)s dates.", n=left)


def _int_arg(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _next(times: list[str], after: str) -> str:
    return next((t for t in times if t > after), times[-1])


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
