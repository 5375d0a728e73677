"""An event's attendance record (aggregate figures, no names), no-shows and publishing.

Definitions:
- registered: places of confirmed sign-ups;
- attended: places of confirmed sign-ups checked in at least once, plus walk-ins (one person
  counted once however many sessions they came to, by name and district);
- no_show: places of confirmed sign-ups never checked in, once the event has ended;
- attendance_rate: attended sign-up places ÷ registered places (walk-ins left out), 0..1 to
  3 decimals, null when nobody registered.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.attendance.services import audit_district
from app.errors.domain import NotFound, RuleViolation
from app.extensions import db
from app.models import CheckIn, Event, Registration, User
from app.models.user import DISTRICTS
from app.timezones import iso_local, now_utc


def _confirmed(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            db.select(Registration).where(Registration.event_id == event.id, Registration.status == "confirmed")
        )
    )


def registration_district(registration: Registration) -> str | None:
    if registration.district:
        return registration.district
    return registration.user.district if registration.user else None


def distinct_walk_ins(check_ins: list[CheckIn]) -> dict[tuple[str, str | None], int]:
    """Walk-ins by (name, district), each with the most places they came with."""
    people: dict[tuple[str, str | None], int] = {}
    for c in check_ins:
        if c.registration_id is None:
            key = ((c.walk_in_name or "").strip().casefold(), c.walk_in_district)
            people[key] = max(people.get(key, 0), c.places)
    return people


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def attendance_record(event: Event, now: datetime | None = None) -> dict:
    """The record as the API and the pages show it. Reads only."""
    ended = event.ends_at <= (now or now_utc())
    registrations = _confirmed(event)
    check_ins = list(db.session.scalars(db.select(CheckIn).where(CheckIn.event_id == event.id)))
    checked = {c.registration_id for c in check_ins if c.registration_id is not None}
    by_district = {d: {"registered": 0, "attended": 0, "no_show": 0, "walk_ins": 0} for d in DISTRICTS}
    totals = {"registered": 0, "attended_registered": 0, "no_show": 0}
    for registration in registrations:
        figures = by_district.get(registration_district(registration), {})
        attended = registration.id in checked
        absent = not attended and (ended or registration.no_show)
        for key, counted in (("registered", True), ("attended", attended), ("no_show", absent)):
            if counted and figures:
                figures[key] += registration.places
        totals["registered"] += registration.places
        totals["attended_registered"] += registration.places if attended else 0
        totals["no_show"] += registration.places if absent else 0
    walk_in_places = 0
    for (_name, district), places in distinct_walk_ins(check_ins).items():
        walk_in_places += places
        if district in by_district:
            by_district[district]["attended"] += places
            by_district[district]["walk_ins"] += places
    return {
        "event_id": event.id,
        "registered": totals["registered"],
        "attended": totals["attended_registered"] + walk_in_places,
        "attended_registered": totals["attended_registered"],
        "walk_ins": walk_in_places,
        "no_show": totals["no_show"],
        "attendance_rate": _rate(totals["attended_registered"], totals["registered"]),
        "by_district": by_district,
        "per_session": _per_session(event, check_ins),
        "ended": ended,
        "published": event.attendance_published_at is not None,
        "published_at": iso_local(event.attendance_published_at),
    }


def _per_session(event: Event, check_ins: list[CheckIn]) -> list[dict]:
    rows = []
    for number, session in enumerate(event.sessions, start=1):
        here = [c for c in check_ins if c.session_id == session.id]
        registered = sum(c.places for c in here if c.registration_id is not None)
        walk_in = sum(c.places for c in here if c.registration_id is None)
        rows.append(
            {
                "session_id": session.id,
                "number": number,
                "title": session.title,
                "start": iso_local(session.starts_at),
                "end": iso_local(session.ends_at),
                "attended": registered + walk_in,
                "attended_registered": registered,
                "walk_ins": walk_in,
            }
        )
    return rows


def published_record(event: Event, now: datetime | None = None) -> dict | None:
    """The record for everyone once organisers have published it, else None."""
    if event.attendance_published_at is None or not event.takes_attendance:
        return None
    return attendance_record(event, now)


def visible_record(user, event_id: int, now: datetime | None = None) -> dict:
    """Organisers see the record at any time, anyone else only once published (404 before)."""
    event = db.session.get(Event, event_id)
    if event is not None and event.managed_by(user):
        return attendance_record(event, now)
    record = published_record(event, now) if event is not None else None
    if record is None:
        raise NotFound(_("No published attendance record for this event."))
    return record


def close_attendance(event: Event, now: datetime | None = None) -> int:
    """After the event: confirmed sign-ups never checked in become no-shows (the others are not)."""
    if event.ends_at > (now or now_utc()):
        return 0
    checked = set(
        db.session.scalars(
            db.select(CheckIn.registration_id).where(CheckIn.event_id == event.id, CheckIn.registration_id.is_not(None))
        )
    )
    marked = 0
    for registration in _confirmed(event):
        absent = registration.id not in checked
        if absent and not registration.no_show:
            marked += 1
        registration.no_show = absent
    db.session.flush()
    return marked


def close_ended_events(now: datetime | None = None) -> tuple[int, int]:
    """Mark the no-shows of every ended event that still has unmarked absentees (cron-safe)."""
    now = now or now_utc()
    unmarked = (
        db.select(Registration.id)
        .where(
            Registration.event_id == Event.id,
            Registration.status == "confirmed",
            Registration.no_show.is_(False),
            ~db.select(CheckIn.id).where(CheckIn.registration_id == Registration.id).exists(),
        )
        .exists()
    )
    events = db.session.scalars(
        db.select(Event).where(Event.ends_at <= now, Event.takes_attendance, unmarked).order_by(Event.id)
    ).all()
    total = 0
    for event in events:
        marked = close_attendance(event, now)
        audit.record(None, "attendance.close", event, district=audit_district(event, None), no_shows=marked)
        total += marked
    return len(events), total


def publish_attendance(event: Event, actor: User, now: datetime | None = None) -> dict:
    """Publish the record of an ended event; absentees become no-shows first. Publishing again refreshes it."""
    now = now or now_utc()
    if not event.takes_attendance:
        raise RuleViolation(_("Only a published event's attendance can be published."), code="event_not_open")
    if event.ends_at > now:
        raise RuleViolation(_("The attendance record can be published once the event is over."), code="not_ended")
    marked = close_attendance(event, now)
    event.attendance_published_at = now
    db.session.flush()
    record = attendance_record(event, now)
    audit.record(
        actor,
        "attendance.publish",
        event,
        district=audit_district(event, actor),
        no_shows_marked=marked,
        registered=record["registered"],
        attended=record["attended"],
    )
    return record
