"""Building VCALENDAR documents with the icalendar library: stable UIDs, SEQUENCE, UTC times.
Text is made fit for its property whatever is stored: one line for names and summaries, line breaks
only in descriptions (the library escapes and folds them)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache

from flask_babel import get_locale
from icalendar import Calendar
from icalendar import Event as VEvent
from sqlalchemy.orm import object_session

from app.bookings.place import place_of
from app.models import Booking, Event, Registration
from app.text import one_line, plain_lines
from app.timezones import now_utc
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


def event_components(
    event: Event, status: str | None = None, stamp: datetime | None = None, sequence_bump: int = 0
) -> list[VEvent]:
    """One VEVENT per session, so a three-day camp shows as three days, never one 72-hour block."""
    stamp = stamp or now_utc()
    cancelled = event.is_cancelled
    url = public_url("events.show", event_id=event.id)
    out = []
    for session in event.sessions:
        component = VEvent()
        component.add("uid", f"event-{event.id}-session-{session.id}@{DOMAIN}")
        component.add("dtstamp", stamp)
        component.add("dtstart", session.starts_at)
        component.add("dtend", session.ends_at)
        title = event.title if len(event.sessions) == 1 or not session.title else f"{event.title} · {session.title}"
        component.add("summary", one_line(title))
        if event.description:
            component.add("description", plain_lines(event.description))
        component.add("location", _where(event))
        component.add("url", url)
        component.add("sequence", event.sequence + sequence_bump)
        component.add("last-modified", event.updated_at)
        component.add("status", "CANCELLED" if cancelled else (status or "CONFIRMED"))
        component.add("categories", [event.kind])
        out.append(component)
    return out


def booking_component(booking: Booking, with_details: bool, stamp: datetime | None = None) -> VEvent:
    """A room booking; without details the summary says only that the room is taken."""
    component = VEvent()
    component.add("uid", f"booking-{booking.id}@{DOMAIN}")
    component.add("dtstamp", stamp or now_utc())
    component.add("dtstart", booking.starts_at)
    component.add("dtend", booking.ends_at)
    room = booking.room
    component.add("summary", one_line(booking.title) if with_details else "已预约 / Booked")
    component.add("location", one_line(f"{room.name} · {room.home.name} · {room.home.address}"))
    if with_details:
        component.add("description", plain_lines("\n".join(place_of(booking).lines())))
    component.add("url", public_url("homes.room", room_id=room.id))
    # A change of status must reach clients even where the booking's own counter was not raised.
    component.add("sequence", booking.sequence + (1 if booking.status in CANCELLED else 0))
    component.add("last-modified", booking.updated_at)
    status = {"pending": "TENTATIVE", "confirmed": "CONFIRMED"}.get(booking.status, "CANCELLED")
    component.add("status", status)
    return component


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


def component_text(component: VEvent) -> str:
    """One VEVENT as folded iCalendar lines ending in CRLF, as it stands inside a calendar."""
    return component.to_ical().decode("utf-8")


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
    calendar = new_calendar(event.title)
    for component in event_components(event):
        calendar.add_component(component)
    return to_text(calendar)


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
        return component_text(booking_component(booking, with_details, stamp))
    rendered = session.info.setdefault(RENDERED, {})
    key = (booking.id, with_details, str(get_locale() or "zh") if with_details else "")
    if key not in rendered:
        rendered[key] = component_text(booking_component(booking, with_details, stamp))
    return rendered[key]
