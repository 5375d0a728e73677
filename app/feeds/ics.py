"""Building VCALENDAR documents with the icalendar library: stable UIDs, SEQUENCE, UTC times.
Text is made fit for its property whatever is stored: one line for names and summaries, line breaks
only in descriptions (the library escapes and folds them)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask_babel import get_locale
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.caselessdict import canonsort_keys
from sqlalchemy.orm import object_session

from app.bookings.place import place_of
from app.models import Booking, Event, Registration
from app.text import one_line, plain_lines
from app.timezones import now_utc, to_utc
from app.urls import public_url

DOMAIN = "talent-home"
CANCELLED = ("cancelled", "rejected", "no_show")


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Liwan-Nanhai Talent Home//talent-home//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def _where(event: Event) -> str:
    if event.room is not None:
        return one_line(f"{event.room.name} · {event.room.home.name} · {event.room.home.address}")
    return one_line(event.address)


def event_properties(
    event: Event, stamp: datetime | None = None, status: str | None = None, sequence_bump: int = 0
) -> list[list[tuple[str, object]]]:
    """One VEVENT's properties per session, so a three-day camp shows as three days, never one
    72-hour block."""
    stamp = stamp or now_utc()
    cancelled = event.is_cancelled
    url = public_url("events.show", event_id=event.id)
    out = []
    for session in event.sessions:
        title = event.title if len(event.sessions) == 1 or not session.title else f"{event.title} · {session.title}"
        properties = [
            ("UID", f"event-{event.id}-session-{session.id}@{DOMAIN}"),
            ("DTSTAMP", to_utc(stamp)),
            ("DTSTART", to_utc(session.starts_at)),
            ("DTEND", to_utc(session.ends_at)),
            ("SUMMARY", one_line(title)),
        ]
        if event.description:
            properties.append(("DESCRIPTION", plain_lines(event.description)))
        properties += [
            ("LOCATION", _where(event)),
            ("URL", url),
            ("SEQUENCE", event.sequence + sequence_bump),
            ("LAST-MODIFIED", to_utc(event.updated_at)),
            ("STATUS", "CANCELLED" if cancelled else (status or "CONFIRMED")),
            ("CATEGORIES", [event.kind]),
        ]
        out.append(properties)
    return out


def event_components(
    event: Event, status: str | None = None, stamp: datetime | None = None, sequence_bump: int = 0
) -> list[VEvent]:
    """The event's sessions as icalendar components (`event_texts` writes the same text without them)."""
    return [component_of(properties) for properties in event_properties(event, stamp, status, sequence_bump)]


def event_texts(event: Event, stamp: datetime | None = None) -> list[str]:
    """Each session's VEVENT text, in the order of `Event.sessions`."""
    return [vevent_text(properties) for properties in event_properties(event, stamp)]


def component_of(properties: list[tuple[str, object]]) -> VEvent:
    component = VEvent()
    for name, value in properties:
        component.add(name, value)
    return component


def booking_properties(booking: Booking, with_details: bool, stamp: datetime | None = None) -> list[tuple[str, object]]:
    """A room booking's VEVENT properties; without details the summary says only that the room is taken."""
    room = booking.room
    properties = [
        ("UID", f"booking-{booking.id}@{DOMAIN}"),
        ("DTSTAMP", to_utc(stamp or now_utc())),
        ("DTSTART", to_utc(booking.starts_at)),
        ("DTEND", to_utc(booking.ends_at)),
        ("SUMMARY", one_line(booking.title) if with_details else "已预约 / Booked"),
        ("LOCATION", one_line(f"{room.name} · {room.home.name} · {room.home.address}")),
    ]
    if with_details:
        properties.append(("DESCRIPTION", plain_lines("\n".join(place_of(booking).lines()))))
    properties += [
        ("URL", public_url("homes.room", room_id=room.id)),
        # A change of status must reach clients even where the booking's own counter was not raised.
        ("SEQUENCE", booking.sequence + (1 if booking.status in CANCELLED else 0)),
        ("LAST-MODIFIED", to_utc(booking.updated_at)),
        ("STATUS", {"pending": "TENTATIVE", "confirmed": "CONFIRMED"}.get(booking.status, "CANCELLED")),
    ]
    return properties


def booking_component(booking: Booking, with_details: bool, stamp: datetime | None = None) -> VEvent:
    """A room booking as an icalendar component (`booking_text` writes the same text without one)."""
    return component_of(booking_properties(booking, with_details, stamp))


def vevent_text(properties: list[tuple[str, object]]) -> str:
    """One VEVENT's text from its properties, exactly as `VEvent.to_ical` writes it (each property
    once, no parameters), at a third of the cost of building the component: the properties in the
    library's order, each value in the type the library gives its property, escaped by the library,
    each line folded as the library folds it (tests/test_feeds_writing.py compares the two)."""
    values = dict(properties)
    lines = ["BEGIN:VEVENT"]
    for name in canonsort_keys(values, VEvent.canonical_order):
        value = values[name]
        if isinstance(value, datetime) and value.tzinfo is UTC:
            written = value.strftime(UTC_FORMAT)  # as the library writes a UTC time, at a tenth of its cost
        else:
            typed = _property_type(name)(value)
            assert not getattr(typed, "params", None), name
            written = typed.to_ical().decode("utf-8")
        lines.append(folded(f"{name}:{written}"))
    lines.append("END:VEVENT\r\n")
    return "\r\n".join(lines)


UTC_FORMAT = "%Y%m%dT%H%M%SZ"
FOLD_AT = 75  # octets: a line that reaches it is folded


def folded(line: str) -> str:
    """The line folded as the library's `foldline` folds it (each piece the most whole characters
    that stay under 75 octets; an escaping backslash or caret is not left at a piece's end), by
    slicing its UTF-8 octets instead of walking its characters one by one."""
    octets = line.encode("utf-8")
    if len(octets) < FOLD_AT:
        return line
    pieces = []
    while len(octets) >= FOLD_AT:
        end = FOLD_AT - 1
        while octets[end] & 0xC0 == 0x80:  # inside a character: it starts the next piece
            end -= 1
        piece = octets[:end].decode("utf-8")
        if len(piece) > 1 and piece[-1] in "\\^":
            piece, end = piece[:-1], end - 1
        pieces.append(piece)
        octets = octets[end:]
    pieces.append(octets.decode("utf-8"))
    return "\r\n ".join(pieces)


@lru_cache(maxsize=64)
def _property_type(name: str) -> type:
    return VEvent.types_factory.for_property(name)


SIGNUP_STATUS = {"confirmed": "CONFIRMED", "waitlisted": "TENTATIVE"}
SIGNUP_RANK = {"confirmed": 2, "waitlisted": 1}


def registration_components(signups: list[Registration], stamp: datetime) -> list[VEvent]:
    """One event's entries for a user, however many sign-ups they hold for it (a guardian may sign up
    children one by one): the UIDs stay unique and the best status wins."""
    status, bump = sign_up_state([r.status for r in signups])
    return event_components(signups[0].event, status, stamp, bump)


def sign_up_state(statuses: list[str]) -> tuple[str, int]:
    """The STATUS a user's sign-ups to one event give its entries, and the SEQUENCE bump that makes
    a cancellation reach clients."""
    best = max(statuses, key=lambda status: SIGNUP_RANK.get(status, 0))
    return SIGNUP_STATUS.get(best, "CANCELLED"), 1 if best not in SIGNUP_RANK else 0


def to_text(calendar: Calendar) -> str:
    return calendar.to_ical().decode("utf-8")


CLOSING = "END:VCALENDAR\r\n"


@lru_cache(maxsize=256)
def calendar_head(name: str) -> str:
    """A feed's opening lines, up to its first VEVENT: the calendar's own properties. All times in
    the feeds are UTC, so no VTIMEZONE is needed."""
    text = to_text(new_calendar(name))
    assert text.endswith(CLOSING)
    return text[: -len(CLOSING)]


_STATUS = re.compile(r"\r\nSTATUS:[A-Z]+\r\n")
_SEQUENCE = re.compile(r"\r\nSEQUENCE:(\d+)\r\n")


def restated(text: str, status: str | None, sequence_bump: int) -> str:
    """An event's stored VEVENT text with the status and SEQUENCE a sign-up gives it (as
    `event_components(event, status, sequence_bump=…)` would render it). Property lines start after
    a CRLF and values never hold a bare line break, so these lines are found exactly."""
    if status and "\r\nSTATUS:CANCELLED\r\n" not in text:
        text = _STATUS.sub(f"\r\nSTATUS:{status}\r\n", text, count=1)
    if sequence_bump:
        text = _SEQUENCE.sub(lambda m: f"\r\nSEQUENCE:{int(m.group(1)) + sequence_bump}\r\n", text, count=1)
    return text


def event_ics(event: Event) -> str:
    """One event as a calendar file: for downloads and e-mail attachments."""
    return calendar_head(event.title) + "".join(event_texts(event)) + CLOSING


def booking_ics(booking: Booking) -> str:
    return bookings_ics([booking])


def bookings_ics(bookings: list[Booking]) -> str:
    """A booking, or every date of a series, as one calendar file: for downloads and e-mail attachments."""
    entries = "".join(booking_text(booking, with_details=True) for booking in bookings)
    return calendar_head(bookings[0].title) + entries + CLOSING


RENDERED = "booking_entries_rendered"


def booking_text(booking: Booking, with_details: bool, stamp: datetime | None = None) -> str:
    """A booking's VEVENT text in the current language. Within one transaction it is rendered once
    while the booking stays unchanged: the confirmation's calendar file and the stored feed entry
    share it (app/feeds/fragments.py forgets it when the booking is flushed again)."""
    session = object_session(booking)
    if booking.id is None or session is None:  # not stored: nothing to share it with
        return vevent_text(booking_properties(booking, with_details, stamp))
    rendered = session.info.setdefault(RENDERED, {})
    key = (booking.id, with_details, str(get_locale() or "zh") if with_details else "")
    if key not in rendered:
        rendered[key] = vevent_text(booking_properties(booking, with_details, stamp))
    return rendered[key]
