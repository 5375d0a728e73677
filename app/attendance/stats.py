"""Statistics for organisers: events held, attendance, room use and cross-district use.

Scope and definitions:
- events: published (or completed) events of the filtered kind, starting within the local date
  range and ended by now; a district filter keeps that district's events and joint ones;
- registered, attended, walk-ins, present, no-shows and the attendance rate: as app.attendance.figures
  defines them, summed over the events held; the no-show rate is no-shows ÷ registered;
- room use per home: booked room-hours (confirmed, no-show or checked-in bookings, event
  reservations included, clipped to the range) ÷ open room-hours (the home's opening hours on
  each day of the range, public holidays closed, × its active rooms); the kind filter does not apply;
- cross-district use: talents' own bookings (not event reservations) starting within the range,
  by the talent's district and the home's district; confirmed places on events held, by the
  sign-up's district and the host district; joint events apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import selectinload

from app.attendance.figures import EventFigures, event_figures, rate, total
from app.extensions import db
from app.homes.opening import opening_interval
from app.models import Booking, Event, Home, Registration, Room, User
from app.models.base import UTCDateTime
from app.models.event import KINDS
from app.models.user import DISTRICTS
from app.timezones import local_datetime, now_utc, to_local

HOSTS = (*DISTRICTS, "joint")


@dataclass(frozen=True)
class StatsFilter:
    start: date  # local dates, both included
    end: date
    district: str | None = None
    kind: str | None = None

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return local_datetime(self.start, time(0)), local_datetime(self.end + timedelta(days=1), time(0))


def _rate(part: float, whole: float) -> float | None:
    return rate(part, whole)


def _summarise(figures: list[EventFigures]) -> dict:
    """Events' figures summed (the definitions of app.attendance.figures)."""
    summed = total(figures)["totals"]
    return {
        "events": len(figures),
        **summed.as_dict(),
        "present": summed.present,
        "attendance_rate": summed.attendance_rate,
        "no_show_rate": rate(summed.no_show, summed.registered),
    }


def events_held(flt: StatsFilter, now: datetime | None = None) -> list[Event]:
    # The figures number each event's sessions: loaded with the events, not one statement an event.
    query = held_query(flt, now).options(selectinload(Event.sessions))
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id)))


def held_query(flt: StatsFilter, now: datetime | None = None, *columns):
    """The select of the events held (or of `columns` of them)."""
    start, end = flt.bounds
    query = db.select(*(columns or (Event,))).where(
        Event.takes_attendance,
        Event.starts_at >= start,
        Event.starts_at < end,
        Event.ends_at <= (now or now_utc()),
    )
    if flt.kind:
        query = query.where(Event.kind == flt.kind)
    if flt.district:
        query = query.where(Event.host.in_((flt.district, "joint")))
    return query


def event_statistics(flt: StatsFilter, now: datetime | None = None) -> dict:
    now = now or now_utc()
    events = events_held(flt, now)
    figures = event_figures(events, now, scope=held_query(flt, now, Event.id))
    items = [(e, figures[e.id]) for e in events]
    month = {e.id: to_local(e.starts_at).strftime("%Y-%m") for e in events}

    def summary(keep) -> dict:
        return _summarise([f for e, f in items if keep(e)])

    return {
        "summary": summary(lambda e: True),
        "by_kind": {k: summary(lambda e, k=k: e.kind == k) for k in KINDS},
        "by_host": {h: summary(lambda e, h=h: e.host == h) for h in HOSTS},
        "by_month": {m: summary(lambda e, m=m: month[e.id] == m) for m in sorted(set(month.values()))},
        "by_district": {
            d: c.as_dict() | {"present": c.present, "attendance_rate": c.attendance_rate}
            for d, c in total(list(figures.values()))["by_district"].items()
        },
        "events": events,
        "figures": figures,
    }


def _homes(flt: StatsFilter) -> list[Home]:
    query = db.select(Home).order_by(Home.district)
    if flt.district:
        query = query.where(Home.district == flt.district)
    return list(db.session.scalars(query))


def _used_bookings():
    """Bookings that used (or hold) their room: confirmed, no-show, or checked in."""
    return db.or_(Booking.status.in_(("confirmed", "no_show")), Booking.checked_in_at.is_not(None))


def _seconds(start, end):
    """SQL: the whole seconds from `start` to `end` (two timestamps), summed by the database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.func.round(db.func.extract("epoch", end - start))
    return db.func.round((db.func.julianday(end) - db.func.julianday(start)) * 86400)


def _clipped(start: datetime, end: datetime):
    """SQL: a booking's start and end clipped to [start, end)."""
    lower, upper = db.literal(start, UTCDateTime()), db.literal(end, UTCDateTime())
    if db.session.get_bind().dialect.name == "postgresql":
        return db.func.greatest(Booking.starts_at, lower), db.func.least(Booking.ends_at, upper)
    # SQLite's two-argument min() and max() are scalar; its timestamps are text in one fixed format.
    return db.func.max(Booking.starts_at, lower), db.func.min(Booking.ends_at, upper)


def open_hours(home: Home, flt: StatsFilter) -> float:
    """Hours a home is open over the range (per room)."""
    seconds = 0.0
    day = flt.start
    while day <= flt.end:
        interval = opening_interval(home, day)
        if interval:
            seconds += (interval[1] - interval[0]).total_seconds()
        day += timedelta(days=1)
    return seconds / 3600


def room_use(flt: StatsFilter) -> list[dict]:
    start, end = flt.bounds
    rows = []
    for home in _homes(flt):
        rooms = db.session.scalar(
            db.select(db.func.count(Room.id)).where(Room.home_id == home.id, Room.active.is_(True))
        )
        count, seconds = db.session.execute(
            db.select(db.func.count(Booking.id), db.func.coalesce(db.func.sum(_seconds(*_clipped(start, end))), 0))
            .join(Room, Booking.room_id == Room.id)
            .where(Room.home_id == home.id, Booking.starts_at < end, Booking.ends_at > start, _used_bookings())
        ).one()
        booked = float(seconds) / 3600
        hours = open_hours(home, flt)
        rows.append(
            {
                "district": home.district,
                "home": home,
                "rooms": rooms,
                "open_hours": round(hours, 2),
                "open_room_hours": round(hours * rooms, 2),
                "booked_hours": round(booked, 2),
                "bookings": count,
                "use_rate": _rate(booked, hours * rooms),
            }
        )
    return rows


def cross_district(flt: StatsFilter, events: list[Event], scope=None) -> dict:
    """Use of each district's home and events by talents of each district; joint events apart."""
    start, end = flt.bounds
    homes = [h.district for h in _homes(flt)]
    talent_district = User.district
    booking_rows = db.session.execute(
        db.select(
            talent_district,
            Home.district,
            db.func.count(Booking.id),
            db.func.sum(_seconds(Booking.starts_at, Booking.ends_at)),
        )
        .join(User, Booking.user_id == User.id)
        .join(Room, Booking.room_id == Room.id)
        .join(Home, Room.home_id == Home.id)
        .where(
            Booking.event_session_id.is_(None),
            User.role == "talent",
            Booking.starts_at >= start,
            Booking.starts_at < end,
            # Implied by the start (a booking ends after it starts); lets the end's index narrow the range.
            Booking.ends_at > start,
            Home.district.in_(homes),
            _used_bookings(),
        )
        .group_by(talent_district, Home.district)
    ).all()
    pairs = {(a, b): {"bookings": 0, "booked_hours": 0.0, "registrations": 0} for a in DISTRICTS for b in DISTRICTS}
    for origin, place, count, seconds in booking_rows:
        if (origin, place) in pairs:
            pairs[(origin, place)]["bookings"] += count
            pairs[(origin, place)]["booked_hours"] += float(seconds or 0) / 3600
    joint = {d: 0 for d in DISTRICTS}
    if events:
        origin_of = db.func.coalesce(Registration.district, User.district)
        registration_rows = db.session.execute(
            db.select(Event.host, origin_of, db.func.sum(Registration.places))
            .join(Event, Registration.event_id == Event.id)
            .outerjoin(User, Registration.user_id == User.id)
            .where(
                Registration.event_id.in_([e.id for e in events] if scope is None else scope),
                Registration.status == "confirmed",
            )
            .group_by(Event.host, origin_of)
        ).all()
        for host, origin, places in registration_rows:
            places = int(places or 0)
            if host == "joint" and origin in joint:
                joint[origin] += places
            elif (origin, host) in pairs:
                pairs[(origin, host)]["registrations"] += places
    rows = []
    for (origin, place), figures in pairs.items():
        rows.append({"from": origin, "to": place, "cross": origin != place, **figures})
        rows[-1]["booked_hours"] = round(figures["booked_hours"], 2)
    return {"pairs": rows, "joint": joint, **_cross_shares(rows)}


def _cross_shares(rows: list[dict]) -> dict:
    """Per place: the share of bookings and registrations made by the other district's talents."""
    shares = {}
    for place in DISTRICTS:
        here = [r for r in rows if r["to"] == place]
        other = [r for r in here if r["cross"]]
        shares[place] = {
            "bookings": _rate(sum(r["bookings"] for r in other), sum(r["bookings"] for r in here)),
            "registrations": _rate(sum(r["registrations"] for r in other), sum(r["registrations"] for r in here)),
        }
    return {"cross_share": shares}


def statistics(flt: StatsFilter, now: datetime | None = None) -> dict:
    now = now or now_utc()
    figures = event_statistics(flt, now)
    return {
        **figures,
        "room_use": room_use(flt),
        "cross_district": cross_district(flt, figures["events"], held_query(flt, now, Event.id)),
    }
