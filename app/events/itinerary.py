"""Itinerary stops: each belongs to a day (the event's session of that number, 1 first) and the stops
are kept in the order of day and time, so day 2's 09:30 comes after day 1's 14:00."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_babel import gettext as _

from app.errors.domain import ValidationFailed
from app.models import Event
from app.timezones import local_datetime, to_local

STOP_LINE = re.compile(r"^\s*(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2}:\d{2})\s+(.+)$")
TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def stop_time(stop: dict) -> time | None:
    match = TIME.match(str(stop.get("time") or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def stop_day(stop: dict) -> int:
    return stop.get("day") or 1


def in_order(stops: list[dict]) -> list[dict]:
    """By day, then time (stops without a readable time last in their day), else as given."""
    keyed = [(stop_day(s), stop_time(s) or time.max, index, s) for index, s in enumerate(stops)]
    return [entry[-1] for entry in sorted(keyed, key=lambda entry: entry[:3])]


def stop_moment(event: Event, stop: dict) -> datetime | None:
    """The UTC instant of a stop: its time on the local date of its day's session."""
    day, at = stop_day(stop), stop_time(stop)
    if at is None or not 1 <= day <= len(event.sessions):
        return None
    return local_datetime(to_local(event.sessions[day - 1].starts_at).date(), at)


def stops_outside_sessions(event: Event) -> list[dict]:
    """Stops whose time is not within their day's session."""
    outside = []
    for stop in event.itinerary or []:
        moment = stop_moment(event, stop)
        if moment is None:
            continue
        session = event.sessions[stop_day(stop) - 1]
        if not session.starts_at <= moment <= session.ends_at:
            outside.append(stop)
    return outside


def days_problem(event: Event) -> str | None:
    """A stop on a day the event does not have."""
    for stop in event.itinerary or []:
        if stop_day(stop) > len(event.sessions):
            return _(
                "A stop is on day %(day)s, but the event has %(n)s sessions.", day=stop_day(stop), n=len(event.sessions)
            )
    return None


def parse_lines(text: str, session_days: list[date]) -> list[dict]:
    """The form's lines, "2026-12-20 09:30 粤剧艺术博物馆" (the date picks the day) or "09:30 陈家祠"
    (the first day). Raises ValidationFailed naming the line."""
    stops = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = STOP_LINE.match(line)
        if not match:
            raise ValidationFailed({"itinerary": _("Line %(n)s: use 2026-12-20 09:30 and the place.", n=number)})
        day_text, at, place = match.groups()
        day = 1
        if day_text:
            try:
                day = session_days.index(date.fromisoformat(day_text)) + 1
            except ValueError:
                raise ValidationFailed(
                    {"itinerary": _("Line %(n)s: no session is on %(day)s.", n=number, day=day_text)}
                ) from None
        stops.append({"time": at.zfill(5), "place": place.strip(), "day": day})
    return stops


def format_lines(event: Event) -> str:
    """The stops as the form's lines; with one session, times only."""
    lines = []
    for stop in event.itinerary or []:
        text = f"{stop.get('time', '')} {stop.get('place', '')}".strip()
        day = stop_day(stop)
        if len(event.sessions) > 1 and day <= len(event.sessions):
            text = f"{to_local(event.sessions[day - 1].starts_at):%Y-%m-%d} {text}"
        lines.append(text)
    return "\n".join(lines)


def day_label(event: Event, stop: dict) -> str:
    """ "Day 2 · 12-20" for events of several sessions, else nothing."""
    day = stop_day(stop)
    if len(event.sessions) < 2 or day > len(event.sessions):
        return ""
    return _("Day %(n)s · %(date)s", n=day, date=f"{to_local(event.sessions[day - 1].starts_at):%m-%d}")
