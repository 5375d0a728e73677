"""Event forms (shape only), and the event form as the services' event data and back;
the rules live in the events services."""

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.errors.domain import ValidationFailed
from app.events.itinerary import format_lines, parse_lines
from app.events.validation import KIND_FIELDS
from app.fields import MultiLine, OneLine, SupportedDateTimeField
from app.models import Event
from app.timezones import to_local

SESSION_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-–~]\s*(\d{1,2}:\d{2})\s*(.*)$")
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
    sessions = TextAreaField(
        _l("Sessions"),
        validators=[Optional(), Length(max=3000), MultiLine()],
        description=_l(
            "One line per session or day, e.g. 2026-12-19 09:00-16:30 Day 1. The event starts with the first "
            "and ends with the last; for a single session, give start and end below instead."
        ),
        render_kw={"rows": 4},
    )
    start = SupportedDateTimeField(_l("Starts (single session)"), validators=[Optional()])
    end = SupportedDateTimeField(_l("Ends (single session)"), validators=[Optional()])
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
        _l("Itinerary"),
        validators=[Optional(), Length(max=5000), MultiLine()],
        description=_l(
            "One stop per line: the day's date, time and place, e.g. 2026-12-20 09:30 Cantonese Opera Art Museum "
            "(the date says which session's day; for a one-day event the time is enough: 09:30 Chen Clan Academy). "
            "Stops are listed by day and time."
        ),
        render_kw={"rows": 5},
    )
    min_age = IntegerField(_l("Youngest age"), validators=[Optional(), NumberRange(0, 18)])
    max_age = IntegerField(_l("Oldest age"), validators=[Optional(), NumberRange(0, 18)])

    def validate(self, extra_validators=None) -> bool:
        """The fields of the other kinds are hidden on the page and left out by `event_data`: what
        they still hold (a camp's ages typed before the kind became an exchange) is not checked, so
        no problem is reported beside a field the organiser cannot see."""
        super().validate(extra_validators)
        for name in _OTHER_KINDS_FIELDS - set(KIND_FIELDS.get(self.kind.data, ())):
            self[name].errors = []
        return not self.errors


_OTHER_KINDS_FIELDS = {name for fields in KIND_FIELDS.values() for name in fields}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def event_data(form: EventForm) -> dict:
    """The form as the service's event data: only the fields of the chosen kind (KIND_FIELDS), the
    sessions or else start and end; lines that cannot be read become field errors."""
    kind = form.kind.data
    data = {
        "title": form.title.data,
        "kind": kind,
        "host": form.host.data,
        "description": form.description.data or "",
        "capacity": form.capacity.data,
        "registration_opens_at": _iso(form.registration_opens_at.data),
        "registration_closes_at": _iso(form.registration_closes_at.data),
        "venue": {"room_id": form.room_id.data} if form.room_id.data else {"address": form.address.data or ""},
        "quota": {"liwan": form.quota_liwan.data, "nanhai": form.quota_nanhai.data}
        if form.quota_liwan.data is not None or form.quota_nanhai.data is not None
        else None,
    }
    sessions = _sessions(form)
    if sessions:
        data["sessions"] = sessions
        days = sorted({date.fromisoformat(s["start"][:10]) for s in sessions})
    elif form.start.data and form.end.data:
        data["start"], data["end"] = form.start.data.isoformat(), form.end.data.isoformat()
        days = [form.start.data.date()]
    else:
        raise ValidationFailed({"start": _("Give the sessions, or a start and an end.")})
    kind_fields = KIND_FIELDS.get(kind, ())
    data["subtype"] = (form.subtype.data or None) if "subtype" in kind_fields else None
    data["theme"] = (form.theme.data or None) if "theme" in kind_fields else None
    for name in ("min_age", "max_age"):
        data[name] = form[name].data if name in kind_fields else None
    data["itinerary"] = parse_lines(form.itinerary.data, days) if "itinerary" in kind_fields else []
    return data


def _sessions(form: EventForm) -> list[dict]:
    sessions = []
    for number, line in enumerate((form.sessions.data or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = SESSION_LINE.match(line)
        if not match:
            raise ValidationFailed({"sessions": _("Line %(n)s: use 2026-12-19 09:00-16:30.", n=number)})
        day, start, end, title = match.groups()
        try:
            date.fromisoformat(day)
        except ValueError:
            raise ValidationFailed({"sessions": _("Line %(n)s: use 2026-12-19 09:00-16:30.", n=number)}) from None
        sessions.append({"start": f"{day}T{start.zfill(5)}", "end": f"{day}T{end.zfill(5)}", "title": title})
    return sessions


def fill_event_form(form: EventForm, event: Event) -> None:
    form.title.data, form.kind.data, form.host.data = event.title, event.kind, event.host
    form.subtype.data, form.theme.data = event.subtype or "", event.theme or ""
    form.description.data, form.capacity.data = event.description, event.capacity
    form.min_age.data, form.max_age.data = event.min_age, event.max_age
    if len(event.sessions) <= 1:  # several sessions are edited as sessions
        form.start.data = to_local(event.starts_at).replace(tzinfo=None)
        form.end.data = to_local(event.ends_at).replace(tzinfo=None)
    form.room_id.data, form.address.data = event.room_id or 0, event.address
    form.quota_liwan.data, form.quota_nanhai.data = event.quota_liwan, event.quota_nanhai
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(event, name)
        form[name].data = to_local(value).replace(tzinfo=None) if value else None
    form.itinerary.data = format_lines(event)
    if len(event.sessions) > 1:
        form.sessions.data = "\n".join(
            f"{to_local(s.starts_at):%Y-%m-%d %H:%M}-{to_local(s.ends_at):%H:%M} {s.title}".strip()
            for s in event.sessions
        )
