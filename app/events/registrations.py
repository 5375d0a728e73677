"""Signing up and cancelling: capacity, district quotas, the waiting list and its promotion, families.

The places are counted under the event's lock (see app/events/places.py), so no event is ever
overbooked. The waiting list is strictly first come, first served: a family or a district entry that
does not fit keeps its turn, and nobody behind it is promoted past it (organisers may move someone
up by hand).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit
from app.database import insert_returning_id, joined_as_read, lock_row, new_row
from app.errors.domain import Conflict, NotFound, NotPermitted, RuleViolation, ValidationFailed
from app.events import children as camp
from app.events import notices
from app.events.answers import clean_answers, save_answers
from app.events.codes import new_code
from app.events.places import credential_district, fits, lock_for_sign_up, occupancy, quota_for
from app.events.services import visible_event
from app.extensions import db
from app.models import Event, Participant, Registration, User
from app.notifications.outbox import queue, queue_with
from app.timezones import now_utc
from app.unit_of_work import reading_only


def _check_window(event: Event, now: datetime) -> None:
    if event.status != "published":
        raise RuleViolation(_("Sign-up is not open for this event."), code="registration_closed")
    if not event.sign_up_open(now):
        raise RuleViolation(_("Sign-up is not open now."), code="registration_closed")


def _clean_input(event: Event, data: dict) -> tuple[list[camp.Child], list]:
    """The children (at a camp) and the answers, every field's problem (and a missing consent) told
    at once; without consent the code is `consent_required`."""
    errors: dict[str, str] = {} if data.get("consent") is True else {"consent": _("Required.")}
    children, answers = [], []
    try:
        children = camp.clean_children(event, data) if event.kind == "youth_camp" else []
    except ValidationFailed as error:
        errors |= error.fields
    try:
        answers = clean_answers(event, data.get("answers"))
    except ValidationFailed as error:
        errors |= error.fields
    if "consent" in errors:
        message = _("Please agree to the privacy notice for this sign-up.")
        raise RuleViolation(message, code="consent_required", fields=errors)
    if errors:
        raise ValidationFailed(errors)
    return children, answers


def register(user: User, event_id: int, data: dict, now: datetime | None = None) -> Registration:
    """Take a place (or a waiting-list entry) for the caller, or for a family of children at a camp.

    A family is never split: all its children get places, or the whole family waits as one entry.
    The new entry's `position` (None when confirmed) is set on the returned object.

    The event, its sessions and its questions are read and the input checked before the event is
    locked (`reading_only`: on SQLite before the write lock); under the lock the event's row is read
    again and everything that decides a place is checked on it, so the lock is held for the count,
    the insert and the notice alone (its texts are written before the lock, in both forms)."""
    district = credential_district(user)
    with reading_only():
        event = db.session.scalars(_EVENT_WITH_SESSIONS, {"event_id": event_id}).unique().one_or_none()
        _check_may_sign_up(user, event, now or now_utc())
        children, answers = _clean_input(event, data)
        code = new_code()
        written = notices.sign_up_notice(user, event, code)
        # What the count does not decide is set before the lock.
        registration = Registration(
            event_id=event.id,
            user_id=user.id,
            for_children=bool(children),
            places=len(children) or 1,
            district=district,
            consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
            no_show=False,
            check_in_code=code,
            participants=[Participant(**asdict(child)) for child in children],
        )
    lock_for_sign_up(event)
    # The clock is read under the lock: the waiting list is ordered by this time.
    now = now or now_utc()
    _check_may_sign_up(user, event, now)
    if children:
        camp.check_ages(event, children)
        camp.check_not_signed_up(event, children)
    seen = occupancy(event, district)
    places = registration.places
    limit = quota_for(event, district)
    confirmed = (
        not seen.someone_waits(event)
        and seen.confirmed + places <= event.capacity
        and (limit is None or seen.confirmed_in_district + places <= limit)
    )
    registration.status = "confirmed" if confirmed else "waitlisted"
    registration.consent_at = registration.created_at = registration.updated_at = now
    registration.confirmed_at, registration.waitlisted_at = (now, None) if confirmed else (None, now)
    registration.event, registration.user = event, user
    _insert(registration, notices.registration_message(registration, written))
    # Known to the caller without reading them again: the new entry's answers and its place in the queue.
    registration.given_answers = save_answers(registration, answers)
    registration.position = None if confirmed else seen.waiting + 1
    return registration


# Built once: every sign-up reads its event so.
_EVENT_WITH_SESSIONS = (
    db.select(Event)
    .where(Event.id == bindparam("event_id"))
    .options(joinedload(Event.sessions), joinedload(Event.questions))
)


def _check_may_sign_up(user: User, event: Event | None, now: datetime) -> None:
    if event is None or not event.visible_to(user):
        raise NotFound(_("No such event."))
    if not user.is_verified_talent:
        raise NotPermitted(_("Only talents with a verified credential may sign up."), code="not_verified")
    _check_window(event, now)


def _insert(registration: Registration, message: dict | None) -> None:
    """Store the new entry and queue its message (`notices.registration_message`). A family's goes
    through the session with its children; a single person's is one INSERT of every column (the
    session's unit of work costs more than the statement, under the event's lock), sent with the
    message's (`outbox.queue_with`: one round trip on PostgreSQL), after which the entry joins the
    session as if it had been read."""
    try:
        if registration.participants:
            db.session.add(registration)
            db.session.flush()
            queue(message)
            return
        db.session.flush()
        statement = insert_returning_id(Registration.__table__)
        registration.id = queue_with((statement, new_row(registration)), row=message).scalar_one()  # flushed just above
    except IntegrityError as error:
        # The unique indexes decide, under the event's lock: one active self sign-up per person
        # (uq_registrations_active_self), and unique codes (a clash is about one in 10^12). The
        # message, in the same statement, is not queued either.
        if "check_in_code" in str(error.orig):
            raise Conflict(_("Please try again."), code="conflict") from None
        raise Conflict(_("You have already signed up for this event."), code="already_registered") from None
    joined_as_read(registration)


def visible_registration(user: User | None, registration_id: int) -> Registration:
    """The sign-up for those it is visible to (`Registration.visible_to`); others get 404."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not registration.visible_to(user):
        raise NotFound(_("No such registration."))
    return registration


def cancel_registration(registration: Registration, actor: User, now: datetime | None = None) -> Registration:
    """Free the place (`Registration.can_cancel`); the first waiting entries that fit are promoted at once."""
    now = now or now_utc()
    if not registration.visible_to(actor):
        raise NotFound(_("No such registration."))
    event = lock_row(Event, registration.event_id)
    db.session.refresh(registration)
    if not registration.is_active:
        raise Conflict(_("This sign-up is already cancelled."), code="already_cancelled")
    if not registration.can_cancel(actor, now):
        raise RuleViolation(_("This event is over."), code="event_over")
    was_confirmed = registration.has_place
    registration.status, registration.cancelled_at = "cancelled", now
    by_staff = registration.user_id != actor.id
    if by_staff:
        audit.record(actor, "registration.cancel", registration, district=registration.district)
    notices.registration_cancelled(registration, by_staff)
    event.updated_at = now
    db.session.flush()
    if was_confirmed:
        promote_waiting(event, now)
    return registration


def promote_waiting(event: Event, now: datetime | None = None) -> list[Registration]:
    """Confirm waiting entries in order while they fit; with quotas, each district's queue on its own.
    An entry that does not fit (a family, a full quota) keeps its turn: nobody behind it passes."""
    now = now or now_utc()
    if event.status != "published":
        return []
    promoted = []
    blocked: set[str | None] = set()
    waiting = db.session.scalars(
        db.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == "waitlisted",
        )
        .order_by(Registration.waitlisted_at, Registration.id)
    )
    for registration in list(waiting):
        queue = registration.district if event.quota is not None else None
        if queue in blocked:
            continue
        if fits(event, registration.places, registration.district):
            _confirm(registration, now)
            promoted.append(registration)
        else:
            blocked.add(queue)
    return promoted


def _confirm(registration: Registration, now: datetime) -> None:
    registration.status, registration.confirmed_at = "confirmed", now
    db.session.flush()
    notices.registration_promoted(registration)


def promote_by_hand(actor: User, registration_id: int, now: datetime | None = None) -> Registration:
    """An organiser moves a waiting entry up past the queue — never past the capacity or quota."""
    now = now or now_utc()
    registration = visible_registration(actor, registration_id)
    if not registration.event.managed_by(actor):
        raise NotPermitted(_("Only organisers of this event may do this."))
    event = lock_row(Event, registration.event_id)
    db.session.refresh(registration)
    if not registration.can_promote(actor):
        raise Conflict(_("Only a waiting entry can be moved up."), code="not_waitlisted")
    if not fits(event, registration.places, registration.district):
        raise RuleViolation(_("There is no free place for this entry."), code="over_capacity")
    _confirm(registration, now)
    audit.record(actor, "registration.promote", registration, district=registration.district)
    return registration


def own_registrations(user: User) -> list[Registration]:
    return list(
        db.session.scalars(
            db.select(Registration).where(Registration.user_id == user.id).order_by(Registration.created_at.desc())
        )
    )


def roster(actor: User, event_id: int) -> list[Registration]:
    event = visible_event(actor, event_id)
    if not event.managed_by(actor):
        raise NotPermitted(_("Only organisers of this event may see its roster."))
    return list(
        db.session.scalars(
            db.select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.status, Registration.waitlisted_at, Registration.id)
        )
    )
