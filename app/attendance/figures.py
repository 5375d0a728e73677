"""An event's attendance figures: one definition, computed here for every page, file and answer.

- registered: places of confirmed sign-ups;
- attended: of those, the places of sign-ups checked in at least once (at any session);
- no_show: registered places never checked in, once the event has ended (0 before);
- walk_ins: places of walk-ins; someone walking in at several sessions (same name and district)
  counts once, with the most places they came with to one session;
- present = attended + walk_ins;
- attendance_rate = attended / registered, 0..1 to 3 decimals, None when nobody registered;
- by_district: the same figures by the sign-up's district (else its talent's) and the walk-in's;
  `other` holds walk-ins of no district; the districts add up to the totals;
- by_session: per session, the registered places, those checked in at that session and its walk-ins.

All figures of many events come from four grouped SQL queries (`event_figures`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime

from app.extensions import db
from app.models import CheckIn, Event, Registration, User
from app.models.user import DISTRICTS
from app.timezones import now_utc

FIGURE_DISTRICTS = (*DISTRICTS, "other")


def rate(part: float, whole: float) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclass
class Counts:
    registered: int = 0
    attended: int = 0
    walk_ins: int = 0
    no_show: int = 0

    @property
    def present(self) -> int:
        return self.attended + self.walk_ins

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.attended, self.registered)

    def add(self, other: Counts) -> None:
        for f in fields(Counts):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict:
        return {
            "registered": self.registered,
            "attended": self.attended,
            "walk_ins": self.walk_ins,
            "no_show": self.no_show,
        }


@dataclass
class SessionCounts:
    session_id: int
    number: int
    start: datetime
    registered: int = 0
    attended: int = 0
    walk_ins: int = 0

    @property
    def present(self) -> int:
        return self.attended + self.walk_ins


@dataclass
class EventFigures(Counts):
    event_id: int = 0
    ended: bool = False
    by_district: dict[str, Counts] = field(default_factory=lambda: {d: Counts() for d in FIGURE_DISTRICTS})
    by_session: list[SessionCounts] = field(default_factory=list)


def _district(value: str | None) -> str:
    return value if value in DISTRICTS else "other"


def _sign_ups(ids: list[int]):
    """(event, district, registered places, attended places) of confirmed sign-ups."""
    checked = db.select(CheckIn.id).where(CheckIn.registration_id == Registration.id).exists()
    district = db.func.coalesce(Registration.district, User.district)
    return db.session.execute(
        db.select(
            Registration.event_id,
            district,
            db.func.sum(Registration.places),
            db.func.sum(db.case((checked, Registration.places), else_=0)),
        )
        .outerjoin(User, Registration.user_id == User.id)
        .where(Registration.event_id.in_(ids), Registration.status == "confirmed")
        .group_by(Registration.event_id, district)
    ).all()


def _walk_in_people(ids: list[int]):
    """One row a walk-in person of each event (same name and district): the places they brought to
    the session they brought the most, their sessions and first check-in."""
    person = db.func.lower(db.func.trim(db.func.coalesce(CheckIn.walk_in_name, "")))
    per_session = (
        db.select(
            CheckIn.event_id.label("event_id"),
            CheckIn.walk_in_district.label("district"),
            person.label("person"),
            db.func.min(CheckIn.walk_in_name).label("name"),
            db.func.min(CheckIn.created_at).label("first"),
            db.func.sum(CheckIn.places).label("places"),
        )
        .where(CheckIn.event_id.in_(ids), CheckIn.registration_id.is_(None))
        .group_by(CheckIn.event_id, CheckIn.walk_in_district, person, CheckIn.session_id)
        .subquery()
    )
    c = per_session.c
    return db.select(
        c.event_id,
        c.district,
        db.func.min(c.name).label("name"),
        db.func.max(c.places).label("places"),
        db.func.count().label("sessions"),
        db.func.min(c.first).label("first"),
    ).group_by(c.event_id, c.district, c.person)


def walk_in_key(name: str | None, district: str | None) -> tuple[str, str | None]:
    """In Python, the person a walk-in is by the same rule as `_walk_in_people`'s grouping."""
    return (name or "").strip().lower(), district


def walk_in_people(event: Event) -> list:
    """The walk-ins of an event as the figures count them: (name, district, places, sessions, first)."""
    people = _walk_in_people([event.id]).subquery()
    return db.session.execute(
        db.select(people.c.name, people.c.district, people.c.places, people.c.sessions, people.c.first).order_by(
            people.c.first, people.c.name
        )
    ).all()


def _walk_ins(ids: list[int]):
    """(event, district, places) of walk-in people."""
    people = _walk_in_people(ids).subquery()
    return db.session.execute(
        db.select(people.c.event_id, people.c.district, db.func.sum(people.c.places)).group_by(
            people.c.event_id, people.c.district
        )
    ).all()


def _sessions(ids: list[int]) -> dict[int, dict[str, int]]:
    """Per session: confirmed places checked in there, and walk-in places."""
    found: dict[int, dict[str, int]] = defaultdict(lambda: {"attended": 0, "walk_ins": 0})
    attended = db.session.execute(
        db.select(CheckIn.session_id, db.func.sum(Registration.places))
        .join(Registration, CheckIn.registration_id == Registration.id)
        .where(CheckIn.event_id.in_(ids), Registration.status == "confirmed")
        .group_by(CheckIn.session_id)
    )
    for session_id, places in attended:
        found[session_id]["attended"] = int(places or 0)
    walked = db.session.execute(
        db.select(CheckIn.session_id, db.func.sum(CheckIn.places))
        .where(CheckIn.event_id.in_(ids), CheckIn.registration_id.is_(None))
        .group_by(CheckIn.session_id)
    )
    for session_id, places in walked:
        found[session_id]["walk_ins"] = int(places or 0)
    return found


def event_figures(events: list[Event], now: datetime | None = None, scope=None) -> dict[int, EventFigures]:
    """The figures of each event, by its id. `scope`, a select of exactly these events' ids, lets
    the grouped queries filter by it rather than by a list of every id (many events: a year's)."""
    now = now or now_utc()
    result = {e.id: EventFigures(event_id=e.id, ended=e.ends_at <= now) for e in events}
    if not result:
        return result
    ids = list(result) if scope is None else scope
    for event_id, district, registered, attended in _sign_ups(ids):
        counts = result[event_id].by_district[_district(district)]
        counts.registered += int(registered or 0)
        counts.attended += int(attended or 0)
    for event_id, district, places in _walk_ins(ids):
        result[event_id].by_district[_district(district)].walk_ins += int(places or 0)
    sessions = _sessions(ids)
    for event in events:
        figures = result[event.id]
        for counts in figures.by_district.values():
            counts.no_show = counts.registered - counts.attended if figures.ended else 0
            figures.add(counts)
        figures.by_session = [
            SessionCounts(s.id, n, s.starts_at, figures.registered, **sessions.get(s.id, {}))
            for n, s in enumerate(event.sessions, start=1)
        ]
    return result


def figures_of(event: Event, now: datetime | None = None) -> EventFigures:
    return event_figures([event], now)[event.id]


def total(figures: list[EventFigures]) -> dict:
    """Several events' figures summed: the totals and by district."""
    summed = Counts()
    districts = {d: Counts() for d in FIGURE_DISTRICTS}
    for f in figures:
        summed.add(f)
        for d in FIGURE_DISTRICTS:
            districts[d].add(f.by_district[d])
    return {"totals": summed, "by_district": districts}
