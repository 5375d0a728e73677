"""An event's attendance record (aggregate figures, no names), no-shows and publishing.

The figures and their definitions are those of app.attendance.figures.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.attendance.figures import EventFigures, figures_of
from app.attendance.services import audit_district
from app.errors.domain import NotFound, RuleViolation
from app.extensions import db
from app.models import CheckIn, Event, Registration, User
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


def _sessions(event: Event, figures: EventFigures) -> list[dict]:
    titles = {s.id: s for s in event.sessions}
    return [
        {
            "session_id": s.session_id,
            "number": s.number,
            "title": titles[s.session_id].title,
            "start": iso_local(s.start),
            "end": iso_local(titles[s.session_id].ends_at),
            "registered": s.registered,
            "attended": s.attended,
            "attended_registered": s.attended,
            "walk_ins": s.walk_ins,
            "present": s.present,
        }
        for s in figures.by_session
    ]


def attendance_record(event: Event, now: datetime | None = None) -> dict:
    """The record as the API and the pages show it. Reads only."""
    figures = figures_of(event, now)
    sessions = _sessions(event, figures)
    return {
        "event_id": event.id,
        **figures.as_dict(),
        "present": figures.present,
        "attendance_rate": figures.attendance_rate,
        "attended_registered": figures.attended,
        "by_district": {d: c.as_dict() for d, c in figures.by_district.items()},
        "by_session": sessions,
        "per_session": sessions,
        "ended": figures.ended,
        "published": event.attendance_published_at is not None,
        "published_at": iso_local(event.attendance_published_at),
    }


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
