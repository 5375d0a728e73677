"""Check-ins at an event's sessions: by code, from the roster, walk-ins, and undo."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app import audit
from app.database import lock_row
from app.errors.domain import Conflict, NotFound, RuleViolation, ValidationFailed
from app.events import services as events
from app.events.codes import normalise_code
from app.extensions import db
from app.models import CheckIn, Event, EventSession, Registration, User
from app.models.user import DISTRICTS
from app.text import text_problem
from app.timezones import now_utc, to_local

WALK_IN_DISTRICTS = (*DISTRICTS, "other")
MAX_WALK_IN_PLACES = 50


def managed_event(user, event_id: int) -> Event:
    """The event whose attendance one of its organisers takes (`app.events.services.managed_event`)."""
    return events.managed_event(user, event_id, refusal=_("Only the organisers of this event may take its attendance."))


def audit_district(event: Event, actor: User | None) -> str | None:
    if event.host != "joint":
        return event.host
    return getattr(actor, "district", None)


def _audit(actor: User, action: str, check_in: CheckIn, **detail) -> None:
    """The audit entry of a change of attendance: its event, session and places, and `detail`."""
    event = db.session.get(Event, check_in.event_id)
    audit.record(
        actor,
        action,
        check_in,
        district=audit_district(event, actor),
        event_id=event.id,
        session_id=check_in.session_id,
        **detail,
        places=check_in.places,
    )


def default_session(event: Event, now: datetime | None = None) -> EventSession | None:
    """The session running now, else the next one, else the first."""
    now = now or now_utc()
    sessions = list(event.sessions)
    for session in sessions:
        if session.starts_at <= now < session.ends_at:
            return session
    upcoming = [s for s in sessions if s.starts_at > now]
    return upcoming[0] if upcoming else (sessions[0] if sessions else None)


def session_of(event: Event, session_id: int | None, now: datetime | None = None) -> EventSession:
    if session_id is None:
        session = default_session(event, now)
        if session is None:
            raise RuleViolation(_("This event has no sessions."), code="no_sessions")
        return session
    for session in event.sessions:
        if session.id == session_id:
            return session
    raise ValidationFailed({"session_id": _("Not a session of this event.")})


def _require_open(event: Event) -> None:
    if not event.takes_attendance:
        raise RuleViolation(_("Attendance is taken only for published events."), code="event_not_open")


def _require_window(session: EventSession, now: datetime) -> None:
    if not session.check_in_open(now):
        opens, closes = session.check_in_window.local_text()
        raise RuleViolation(
            _("Check-in for this session is open from %(opens)s to %(closes)s.", opens=opens, closes=closes),
            code="outside_check_in_window",
        )


def check_in_by_code(event: Event, code, actor: User, session_id: int | None = None, now=None) -> CheckIn:
    """Check in the registration holding `code`; a code of another event is as unknown as a wrong one."""
    normalised = normalise_code(code)
    if not normalised:
        raise ValidationFailed({"code": _("Enter a check-in code.")})
    registration = db.session.scalar(db.select(Registration).where(Registration.check_in_code == normalised))
    if registration is None or registration.event_id != event.id:
        raise NotFound(_("Unknown code: no sign-up to this event has it."), code="unknown_code")
    return check_in_registration(event, registration, actor, session_id, now)


def check_in_registration(
    event: Event, registration: Registration, actor: User, session_id: int | None = None, now=None
) -> CheckIn:
    """Check in all places of a confirmed registration at one session, at most once per session.

    The registration row is locked first, so two desks scanning one code cannot both succeed;
    the unique index on (session, registration) backs this up.
    """
    _require_open(event)
    now = now or now_utc()
    session = session_of(event, session_id, now)
    _require_window(session, now)
    registration = lock_row(Registration, registration.id)
    if registration is None or registration.event_id != event.id:
        raise NotFound(_("Unknown code: no sign-up to this event has it."), code="unknown_code")
    if not registration.has_place:
        raise RuleViolation(_("This sign-up has no confirmed place."), code="not_confirmed")
    existing = db.session.scalar(
        db.select(CheckIn).where(CheckIn.session_id == session.id, CheckIn.registration_id == registration.id)
    )
    if existing is not None:
        raise Conflict(
            _("Already checked in at %(time)s.", time=to_local(existing.created_at).strftime("%H:%M")),
            code="already_checked_in",
            check_in_id=existing.id,
        )
    check_in = CheckIn(
        event_id=event.id,
        session_id=session.id,
        registration_id=registration.id,
        places=registration.places,
        checked_in_by_id=actor.id,
    )
    db.session.add(check_in)
    registration.no_show = False
    db.session.flush()
    _audit(actor, "attendance.check_in", check_in, registration_id=registration.id)
    return check_in


def add_walk_in(
    event: Event, actor: User, name, district, places=1, session_id: int | None = None, now=None
) -> CheckIn:
    """Record someone who came without a sign-up: a name, a district and a number of places, while the
    session's check-in is open (the window sign-ups are checked in by)."""
    _require_open(event)
    name = name.strip() if isinstance(name, str) else ""
    errors = {}
    if not name or len(name) > 100:
        errors["name"] = _("Enter a name of at most 100 characters.")
    elif text_problem(name):
        errors["name"] = text_problem(name)
    if district not in WALK_IN_DISTRICTS:
        errors["district"] = _("Choose Liwan, Nanhai or other.")
    if isinstance(places, bool) or not isinstance(places, int) or not 1 <= places <= MAX_WALK_IN_PLACES:
        errors["places"] = _("Must be between 1 and %(n)s.", n=MAX_WALK_IN_PLACES)
    if errors:
        raise ValidationFailed(errors)
    session = session_of(event, session_id, now)
    _require_window(session, now or now_utc())
    check_in = CheckIn(
        event_id=event.id,
        session_id=session.id,
        walk_in_name=name,
        walk_in_district=district,
        places=places,
        checked_in_by_id=actor.id,
    )
    db.session.add(check_in)
    db.session.flush()
    _audit(actor, "attendance.walk_in", check_in)
    return check_in


def undo_check_in(event: Event, check_in_id: int, actor: User, now=None) -> None:
    """Delete a check-in; after the event, a sign-up left with none becomes a no-show again."""
    check_in = db.session.get(CheckIn, check_in_id)
    if check_in is None or check_in.event_id != event.id:
        raise NotFound(_("No such check-in."))
    registration = check_in.registration
    _audit(
        actor, "attendance.undo", check_in, registration_id=check_in.registration_id, walk_in_name=check_in.walk_in_name
    )
    db.session.delete(check_in)
    db.session.flush()
    if registration is not None and event.ends_at <= (now or now_utc()):
        remaining = db.session.scalar(
            db.select(db.func.count(CheckIn.id)).where(CheckIn.registration_id == registration.id)
        )
        registration.no_show = remaining == 0 and registration.has_place


@dataclass
class RosterRow:
    registration: Registration
    names: list[str]
    guardian: str | None
    check_ins: dict[int, CheckIn] = field(default_factory=dict)  # session id -> check-in


def registration_names(registration: Registration) -> tuple[list[str], str | None]:
    """The people of a sign-up, and their guardian when they are children."""
    holder = registration.user.name if registration.user else ""
    if registration.for_children:
        return [p.name or "—" for p in registration.participants] or ["—"], holder
    return [holder or "—"], None


def roster(event: Event, query: str = "", statuses=("confirmed",)) -> list[RosterRow]:
    """Sign-ups with their check-ins, filtered by a name or code fragment."""
    registrations = db.session.scalars(
        db.select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(statuses))
        .order_by(Registration.id)
        # Names and districts of every line come from these: one statement each, not one a line.
        .options(selectinload(Registration.user), selectinload(Registration.participants))
    ).all()
    by_registration: dict[int, dict[int, CheckIn]] = {}
    for check_in in db.session.scalars(
        db.select(CheckIn).where(CheckIn.event_id == event.id, CheckIn.registration_id.is_not(None))
    ):
        by_registration.setdefault(check_in.registration_id, {})[check_in.session_id] = check_in
    needle = (query or "").strip().casefold()
    code_needle = normalise_code(query or "")
    rows = []
    for registration in registrations:
        names, guardian = registration_names(registration)
        haystack = " ".join([*names, guardian or ""]).casefold()
        if needle and needle not in haystack and not (code_needle and code_needle in registration.check_in_code):
            continue
        rows.append(RosterRow(registration, names, guardian, by_registration.get(registration.id, {})))
    return rows


def walk_ins(event: Event) -> list[CheckIn]:
    return list(
        db.session.scalars(
            db.select(CheckIn)
            .where(CheckIn.event_id == event.id, CheckIn.registration_id.is_(None))
            .order_by(CheckIn.created_at, CheckIn.id)
        )
    )
