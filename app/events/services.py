"""Events: drafting, publishing, changing and cancelling; the room reservations they hold."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.database import lock_row
from app.errors.domain import Conflict, NotFound, NotPermitted, RuleViolation, ValidationFailed
from app.events import changes, notices
from app.events.itinerary import days_problem
from app.events.reservations import announce_holds, has_holds, release_rooms, reserve_room
from app.events.validation import clean_event_data
from app.extensions import db
from app.models import Event, EventSession, Room, User
from app.text import checked_reason
from app.timezones import now_utc

REQUIRED_ON_CREATE = ("kind", "title", "host", "capacity")


def visible_event(user: User | None, event_id: int) -> Event:
    """Events never published exist only for the organisers who may manage them; everyone else gets 404."""
    event = db.session.get(Event, event_id)
    if event is None or not event.visible_to(user):
        raise NotFound(_("No such event."))
    return event


def managed_event(user: User, event_id: int, lock: bool = False, refusal: str | None = None) -> Event:
    """The event for one of its organisers (404 when missing or never published and not theirs, else
    403 with `refusal`); with `lock`, held until commit (changes that move places)."""
    event = visible_event(user, event_id)
    if not event.managed_by(user):
        raise NotPermitted(refusal or _("Only organisers of the hosting district may manage this event."))
    return lock_row(Event, event_id) if lock else event


def create_event(user: User, data: dict, now: datetime | None = None) -> Event:
    """A draft; a room venue is reserved for every session at once (409 conflict if taken)."""
    if not user.is_staff:
        raise NotPermitted(_("Only organisers may create events."))
    cleaned = clean_event_data(data)
    missing = {k: _("This field is required.") for k in REQUIRED_ON_CREATE if cleaned.get(k) is None}
    if not cleaned.get("sessions") and not (cleaned.get("start") and cleaned.get("end")):
        missing["start"] = _("Give start and end, or sessions.")
    if missing:
        raise ValidationFailed(missing)
    if not user.manages_host(cleaned["host"]):
        raise NotPermitted(_("Organisers create events of their own district, or joint events."))
    event = Event(status="draft", created_by_id=user.id, sequence=0, itinerary=[], description="")
    db.session.add(event)
    _apply(user, event, cleaned)
    if event.ends_at <= (now or now_utc()):  # it could never be published
        field = "sessions" if cleaned.get("sessions") else "end"
        raise ValidationFailed({field: _("This time has passed: a new event must end in the future.")})
    audit.record(user, "event.create", event, district=_district(event), title=event.title)
    return event


def update_event(user: User, event_id: int, data: dict, now: datetime | None = None) -> Event:
    """Any change a calendar shows raises a published event's sequence; changes of time or place also
    tell the registrants."""
    now = now or now_utc()
    event = managed_event(user, event_id, lock=True)
    if not event.can_edit(user):
        raise Conflict(_("This event is cancelled."), code="already_cancelled")
    cleaned = clean_event_data(data)
    if "host" in cleaned and not user.manages_host(cleaned["host"]):
        raise NotPermitted(_("Organisers create events of their own district, or joint events."))
    before, shown_before = changes.notable(event), _shown(event)
    _apply(user, event, cleaned)
    if event.status == "published" and _shown(event) != shown_before:
        event.sequence += 1  # calendar clients take the new text too
        changed = changes.changed_fields(before, changes.notable(event))
        if changes.worth_telling(changed):
            notices.event_changed(event, before, changed)
    audit.record(user, "event.update", event, district=_district(event), fields=sorted(cleaned))
    from app.events.registrations import promote_waiting

    promote_waiting(event, now)
    return event


def change_warnings(user: User, event_id: int, data: dict, now: datetime | None = None) -> list[str]:
    """What saving `data` on a published event would imply (see `changes.implications`), worked out
    by making the change in a savepoint and undoing it; a refused change raises as `update_event`."""
    now = now or now_utc()
    event = managed_event(user, event_id)
    if event.status != "published":
        return []
    before = changes.notable(event)
    trial = db.session.begin_nested()
    try:
        update_event(user, event_id, data, now)
        return changes.implications(event, before, len(notices.registrants(event)), now)
    finally:
        trial.rollback()


def publish_event(user: User, event_id: int, now: datetime | None = None) -> Event:
    now = now or now_utc()
    event = managed_event(user, event_id)
    if not event.can_publish(user):
        raise Conflict(_("Only a draft can be published."), code="not_draft")
    if event.ends_at <= now:
        raise RuleViolation(_("This event is already over."), code="in_the_past")
    event.status, event.published_at = "published", now
    announce_holds(event)
    if event.registration_opens_at is None:
        event.registration_opens_at = now
    if event.registration_closes_at is None:
        event.registration_closes_at = event.starts_at
    audit.record(user, "event.publish", event, district=_district(event))
    db.session.flush()
    return event


def cancel_event(user: User, event_id: int, reason: str = "", now: datetime | None = None) -> Event:
    """A published event is called off and its participants told. A draft is discarded: cancelled
    without ever having been published, it stays out of public sight for good (`Event.is_public`)
    and cannot be published any more; either way its rooms are released."""
    now = now or now_utc()
    event = managed_event(user, event_id, lock=True)
    if event.is_cancelled:
        raise Conflict(_("This event is already cancelled."), code="already_cancelled")
    reason = checked_reason(reason)
    was_published = event.status == "published"
    event.status, event.cancelled_at = "cancelled", now
    event.sequence += 1
    release_rooms(event)
    if was_published:
        notices.event_cancelled(event, reason)
    audit.record(user, "event.cancel", event, district=_district(event), reason=reason)
    db.session.flush()
    return event


def _district(event: Event) -> str | None:
    return None if event.host == "joint" else event.host


def _shown(event: Event) -> tuple:
    """What calendar entries show: any change of it raises the sequence (RFC 5545 SEQUENCE)."""
    return (
        event.status,
        event.room_id,
        event.address,
        tuple((s.starts_at, s.ends_at) for s in event.sessions),
        event.title,
        event.description,
        event.kind,
        tuple(s.title for s in event.sessions),
    )


def _apply(user: User, event: Event, cleaned: dict) -> None:
    """Write the cleaned fields, check the event as a whole, and re-reserve its room if needed."""
    old_place = (event.room_id, tuple((s.starts_at, s.ends_at) for s in event.sessions))
    for key in (
        "kind",
        "subtype",
        "title",
        "description",
        "host",
        "theme",
        "itinerary",
        "capacity",
        "min_age",
        "max_age",
        "registration_opens_at",
        "registration_closes_at",
    ):
        if key in cleaned:
            setattr(event, key, cleaned[key])
    if "quota" in cleaned:
        quota = cleaned["quota"] or {}
        event.quota_liwan, event.quota_nanhai = quota.get("liwan"), quota.get("nanhai")
    if "venue" in cleaned and cleaned["venue"] is not None:
        venue = cleaned["venue"]
        event.room_id = venue.get("room_id")
        event.address = venue.get("address")
    _apply_sessions(event, cleaned)
    _check_whole(user, event)
    new_place = (event.room_id, tuple((s.starts_at, s.ends_at) for s in event.sessions))
    db.session.flush()
    if new_place != old_place or not has_holds(event):
        release_rooms(event)
        if event.room_id is not None and not event.is_cancelled:
            reserve_room(event)


def _apply_sessions(event: Event, cleaned: dict) -> None:
    sessions = cleaned.get("sessions")
    if sessions is None and ("start" in cleaned or "end" in cleaned):
        start = cleaned.get("start") or event.starts_at
        end = cleaned.get("end") or event.ends_at
        if start is None or end is None or end <= start:
            raise ValidationFailed({"end": _("The end must be after the start.")})
        if len(event.sessions) > 1:
            raise ValidationFailed({"sessions": _("This event has several sessions: change the sessions.")})
        sessions = [{"start": start, "end": end, "title": event.sessions[0].title if event.sessions else ""}]
    if sessions is None:
        return
    # Keep session rows (and their check-ins) where they exist; only times change.
    existing = list(event.sessions)
    for index, spec in enumerate(sessions):
        if index < len(existing):
            row = existing[index]
            row.starts_at, row.ends_at, row.title = spec["start"], spec["end"], spec["title"]
        else:
            event.sessions.append(EventSession(starts_at=spec["start"], ends_at=spec["end"], title=spec["title"]))
    for row in existing[len(sessions) :]:
        event.sessions.remove(row)
    event.starts_at = min(s["start"] for s in sessions)
    event.ends_at = max(s["end"] for s in sessions)


def _check_whole(user: User, event: Event) -> None:
    errors = {}
    stops_problem = days_problem(event)
    if stops_problem:
        errors["itinerary"] = stops_problem
    if event.kind == "study_tour" and not event.theme:
        errors["theme"] = _("A study tour has one of the five themes.")
    if event.kind == "youth_camp":
        if event.min_age is None or event.max_age is None:
            errors["min_age"] = _("A youth camp has an age range.")
        elif event.min_age > event.max_age:
            errors["max_age"] = _("The highest age must not be below the lowest.")
    if event.quota is not None:
        if event.host != "joint":
            errors["quota"] = _("Only joint events have district quotas.")
        elif sum(v or 0 for v in event.quota.values()) > (event.capacity or 0):
            errors["quota"] = _("The quotas add up to more than the capacity.")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    if event.room_id is not None:
        with db.session.no_autoflush:  # the event is not flushed until its room is known to exist
            room = db.session.get(Room, event.room_id)
        if room is None or not room.active:
            errors["venue.room_id"] = _("No such room.")
        elif not (user.manages_district(room.home.district) or event.host == "joint"):
            raise NotPermitted(_("You may only reserve rooms of your own district's home."))
        elif event.capacity and event.capacity > room.capacity:
            errors["capacity"] = _("The room holds %(n)s people.", n=room.capacity)
    elif not event.address:
        errors["venue"] = _("Choose a room of a home or give an address.")
    if errors:
        raise ValidationFailed(errors)
    from app.events.places import confirmed_places

    if event.id and event.capacity < confirmed_places(event.id):
        raise RuleViolation(_("More places are already taken than the new capacity."), code="over_capacity")
