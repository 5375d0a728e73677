"""What a change to an event changes for the people signed up: which notable fields moved (old → new)
and what the change implies before it is saved (who is told, sign-up closing, itinerary times)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.events.itinerary import stops_outside_sessions
from app.extensions import db
from app.models import Event, Room
from app.web import format_local, local_name

# The fields a change notice lists (old → new), in its order; a change of TOLD is what sends one
# (a new title alone is not worth an e-mail).
NOTABLE = ("title", "time", "venue")
TOLD = ("time", "venue")


def notable(event: Event) -> dict:
    """The values of the NOTABLE fields, as plain data that outlives changes to the event."""
    return {
        "title": event.title,
        "time": tuple((s.starts_at, s.ends_at) for s in event.sessions),
        "venue": (event.room_id, event.address),
    }


def changed_fields(before: dict, after: dict) -> list[str]:
    return [name for name in NOTABLE if before[name] != after[name]]


def worth_telling(changed: list[str]) -> bool:
    return any(name in TOLD for name in changed)


def field_label(name: str) -> str:
    return {"title": _("Title"), "time": _("Time"), "venue": _("Venue")}[name]


def _time_text(sessions: tuple) -> str:
    return "; ".join(f"{format_local(start)}–{format_local(end, '%H:%M')}" for start, end in sessions)


def _venue_text(venue: tuple) -> str:
    room_id, address = venue
    if room_id is None:
        return address or ""
    room = db.session.get(Room, room_id)
    return f"{local_name(room)} · {local_name(room.home)}" if room is not None else ""


def value_text(name: str, value) -> str:
    if name == "time":
        return _time_text(value)
    if name == "venue":
        return _venue_text(value)
    return value


def _line(label: str, old: str, new: str) -> str:
    return _("%(field)s: %(old)s → %(new)s", field=label, old=old, new=new)


def describe(before: dict, after: dict, names: list[str]) -> list[str]:
    """One line per changed field, "Time: old → new", in the current language; for events of
    several sessions, one line per session that moved."""
    lines = []
    for name in names:
        old, new = before[name], after[name]
        if name == "time" and len(old) == len(new) > 1:
            lines += [
                _line(_("Time, session %(n)s", n=n), _time_text((a,)), _time_text((b,)))
                for n, (a, b) in enumerate(zip(old, new, strict=True), start=1)
                if a != b
            ]
        else:
            lines.append(_line(field_label(name), value_text(name, old), value_text(name, new)))
    return lines


def implications(event: Event, before: dict, registrants: int, now: datetime) -> list[str]:
    """What saving the (already applied, not yet committed) change means, one sentence each; empty
    when nothing needs the organiser's confirmation."""
    warnings = []
    changed = changed_fields(before, notable(event))
    if worth_telling(changed) and registrants:
        warnings.append(
            _(
                "%(n)s registrants will be e-mailed about the change of %(fields)s.",
                n=registrants,
                fields=", ".join(field_label(name) for name in changed),
            )
        )
    closes = event.registration_closes_at
    moved = before["time"] and before["time"][0][0] != event.starts_at
    if moved and closes is not None and closes < event.starts_at and closes > now:
        warnings.append(
            _(
                "Registration would close at %(closes)s, before the new start at %(start)s.",
                closes=format_local(closes),
                start=format_local(event.starts_at),
            )
        )
    outside = stops_outside_sessions(event)
    if outside:
        warnings.append(
            _(
                "These itinerary stops fall outside the new sessions: %(stops)s.",
                stops="; ".join(f"{stop.get('time', '')} {stop.get('place', '')}".strip() for stop in outside),
            )
        )
    return warnings
