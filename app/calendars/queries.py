"""Read models of the web calendar: the public events of a run of local days, and their sessions by day."""

from __future__ import annotations

from datetime import date

from app.events.queries import public_events
from app.models import Event
from app.timezones import local_day_bounds, to_local


def events_between(first: date, last: date, filters: dict) -> list[Event]:
    """Published and cancelled events on the local days `first` to `last`, as the filters choose."""
    return public_events(
        statuses=("published", "cancelled"),
        start=local_day_bounds(first)[0],
        end=local_day_bounds(last)[1],
        **{name: value or None for name, value in filters.items()},
    )


def sessions_by_day(events: list[Event]) -> dict[date, list[tuple[Event, object]]]:
    """Each day's sessions, so a three-day camp shows on each of its days."""
    by_day: dict[date, list[tuple[Event, object]]] = {}
    for event in events:
        for session in event.sessions:
            by_day.setdefault(to_local(session.starts_at).date(), []).append((event, session))
    for entries in by_day.values():
        entries.sort(key=lambda pair: pair[1].starts_at)
    return by_day
