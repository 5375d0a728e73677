"""Shapes of query arguments: validated as the request arrives, described as the operation's parameters."""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field

from app.api.schemas.checks import Day, Moment, Omitted, Query, Says, choice, query_int
from app.api.schemas.inputs import District
from app.events.queries import MAX_QUERY
from app.models.event import EVENT_STATUSES, KINDS, REGISTRATION_STATUSES

# What a list of events may be filtered by; `completed` is how a past event is shown, not a stored status.
LISTED_STATUSES = tuple(s for s in EVENT_STATUSES if s != "completed")


class RoomsQuery(Query):
    home: District | Omitted = None
    min_capacity: query_int(1) | Omitted = None
    equipment: str | Omitted = None


class AvailableQuery(RoomsQuery):
    start: Moment
    end: Moment


class DayQuery(Query):
    date: Annotated[Day, Says(_l("Use YYYY-MM-DD."))] | Omitted = None


class BookingsQuery(Query):
    home: District | Omitted = None
    series: Annotated[str, Field(max_length=36, description="one series: its `series_id`")] | Omitted = None
    from_: Moment | Omitted = Field(None, alias="from")


class EventsQuery(Query):
    kind: choice(KINDS, _l("Unknown kind.")) | Omitted = None
    district: District | Omitted = None
    from_: Moment | Omitted = Field(None, alias="from")
    to: Moment | Omitted = None
    status: choice(LISTED_STATUSES, _l("Use draft, published or cancelled.")) | Omitted = None
    q: (
        Annotated[
            str,
            Field(
                max_length=MAX_QUERY,
                description="Only events whose title, description or place holds this text (a plain "
                "substring, any case; Chinese needs no spaces).",
            ),
            Says(_l("Use at most %(n)s characters.", n=MAX_QUERY)),
        ]
        | Omitted
    ) = None


class RosterQuery(Query):
    status: choice(REGISTRATION_STATUSES) | Omitted = None
