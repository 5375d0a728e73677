"""Signing up: capacity, district quotas, the waiting list and its promotion, families of children.

Taking a place locks the event row first (FOR UPDATE; SQLite's write lock), then counts, then
inserts — so no event is ever overbooked, whatever the number of server processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app import audit
from app.database import lock_row
from app.errors.domain import Conflict, NotFound, NotPermitted, RuleViolation, ValidationFailed
from app.events import notices
from app.events.codes import new_code
from app.events.services import can_manage, visible_event
from app.extensions import db
from app.models import Event, Participant, Registration, User
from app.timezones import now_utc, to_local

ACTIVE = ("confirmed", "waitlisted")
ISSUER_DISTRICT = {"liwan_yingcai": "liwan", "nanhai_kunpeng": "nanhai", "foshan_youyue": "nanhai"}
MAX_CHILDREN = 10


@dataclass
class Child:
    name: str
    birth_date: date
    guardian_relation: str
    emergency_contact: str
    health_notes: str | None


def credential_district(user: User) -> str | None:
    """The district a talent's places count against: that of their credential's issuer."""
    return ISSUER_DISTRICT.get(user.credential_issuer or "", user.district)


def confirmed_places(event_id: int, district: str | None = None) -> int:
    query = db.select(db.func.coalesce(db.func.sum(Registration.places), 0)).where(
        Registration.event_id == event_id, Registration.status == "confirmed"
    )
    if district is not None:
        query = query.where(Registration.district == district)
    return int(db.session.scalar(query))


def waitlist_position(registration: Registration) -> int | None:
    """1 + the waiting entries of the event ahead of this one (first come, first served)."""
    if registration.status != "waitlisted":
        return None
    ahead = db.session.scalar(
        db.select(db.func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == "waitlisted",
            db.or_(
                Registration.waitlisted_at < registration.waitlisted_at,
                db.and_(Registration.waitlisted_at == registration.waitlisted_at, Registration.id < registration.id),
            ),
        )
    )
    return int(ahead) + 1


def _quota_for(event: Event, district: str | None) -> int | None:
    quota = event.quota
    return None if quota is None or district is None else quota.get(district)


def _fits(event: Event, places: int, district: str | None) -> bool:
    if confirmed_places(event.id) + places > event.capacity:
        return False
    limit = _quota_for(event, district)
    return limit is None or confirmed_places(event.id, district) + places <= limit


def _clean_children(event: Event, data: dict) -> list[Child]:
    raw = data.get("participants")
    if raw is None and data.get("participant") is not None:
        raw = [data.get("participant")]
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_CHILDREN:
        raise ValidationFailed(
            {"participant": _("Give the child's name, birth date, your relation and an emergency contact.")}
        )
    first_day = to_local(event.starts_at).date()
    errors: dict[str, str] = {}
    children = []
    for index, item in enumerate(raw):
        prefix = "participant" if len(raw) == 1 and "participant" in data else f"participants.{index}"
        if not isinstance(item, dict):
            errors[prefix] = _("Each child needs name, birth date, relation and emergency contact.")
            continue
        values = {
            k: item.get(k).strip() if isinstance(item.get(k), str) else None
            for k in ("name", "guardian_relation", "emergency_contact", "health_notes")
        }
        for key in ("name", "guardian_relation", "emergency_contact"):
            if not values[key] or len(values[key]) > 200:
                errors[f"{prefix}.{key}"] = _("This field is required.")
        try:
            born = date.fromisoformat(item.get("birth_date")) if isinstance(item.get("birth_date"), str) else None
        except ValueError:
            born = None
        if born is None or born > first_day:
            errors[f"{prefix}.birth_date"] = _("Use a date like 2014-05-01.")
            continue
        if errors:
            continue
        children.append(
            Child(
                values["name"][:100],
                born,
                values["guardian_relation"][:50],
                values["emergency_contact"][:200],
                (values["health_notes"] or "")[:1000] or None,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return children


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _check_ages(event: Event, children: list[Child]) -> None:
    first_day = to_local(event.starts_at).date()
    wrong = {}
    for index, child in enumerate(children):
        age = age_on(child.birth_date, first_day)
        if (event.min_age is not None and age < event.min_age) or (event.max_age is not None and age > event.max_age):
            wrong[f"participants.{index}.birth_date"] = _(
                "%(name)s will be %(age)s on the first day; this camp is for ages %(low)s to %(high)s.",
                name=child.name,
                age=age,
                low=event.min_age,
                high=event.max_age,
            )
    if wrong:
        raise RuleViolation(_("A child is outside the camp's age range."), code="age_out_of_range", fields=wrong)


def _check_window(event: Event, now: datetime) -> None:
    if event.status != "published":
        raise RuleViolation(_("Sign-up is not open for this event."), code="registration_closed")
    opens = event.registration_opens_at or event.published_at
    closes = event.registration_closes_at or event.starts_at
    if (opens is not None and now < opens) or now >= closes:
        raise RuleViolation(_("Sign-up is not open now."), code="registration_closed")


def _check_duplicates(event: Event, user: User, children: list[Child]) -> None:
    if not children:
        taken = db.session.scalar(
            db.select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.user_id == user.id,
                Registration.for_children.is_(False),
                Registration.status.in_(ACTIVE),
            )
        )
        if taken:
            raise Conflict(_("You have already signed up for this event."), code="already_registered")
        return
    keys = [(c.name, c.birth_date) for c in children]
    if len(set(keys)) != len(keys):
        raise Conflict(_("The same child is listed twice."), code="already_registered")
    rows = db.session.execute(
        db.select(Participant.name, Participant.birth_date)
        .join(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE))
    ).all()
    if set(keys) & {(r.name, r.birth_date) for r in rows}:
        raise Conflict(_("This child is already signed up for this event."), code="already_registered")


@dataclass
class Occupancy:
    """An event's places as one query counts them, for the newcomer's district."""

    confirmed: int
    confirmed_in_district: int
    waiting: int
    waiting_in_district: int


def occupancy(event_id: int, district: str | None) -> Occupancy:
    confirmed = Registration.status == "confirmed"
    waiting = Registration.status == "waitlisted"
    here = Registration.district == district

    def total(condition, value):
        return db.func.coalesce(db.func.sum(db.case((condition, value), else_=0)), 0)

    row = db.session.execute(
        db.select(
            total(confirmed, Registration.places),
            total(db.and_(confirmed, here), Registration.places),
            total(waiting, 1),
            total(db.and_(waiting, here), 1),
        ).where(Registration.event_id == event_id)
    ).one()
    return Occupancy(*(int(v) for v in row))


def register(user: User, event_id: int, data: dict, now: datetime | None = None) -> Registration:
    """Take a place (or a waiting-list entry) for the caller, or for a family of children at a camp.

    A family is never split: all its children get places, or the whole family waits as one entry.
    The new entry's `position` (None when confirmed) is set on the returned object."""
    now = now or now_utc()
    event = lock_row(Event, event_id)
    if event is None or (event.status == "draft" and not can_manage(user, event)):
        raise NotFound(_("No such event."))
    if not user.is_verified_talent:
        raise NotPermitted(_("Only talents with a verified credential may sign up."), code="not_verified")
    _check_window(event, now)
    if data.get("consent") is not True:
        raise RuleViolation(
            _("Please agree to the privacy notice for this sign-up."),
            code="consent_required",
            fields={"consent": _("Required.")},
        )
    children = _clean_children(event, data) if event.kind == "youth_camp" else []
    if children:
        _check_ages(event, children)
    _check_duplicates(event, user, children)
    district = credential_district(user)
    places = len(children) or 1
    seen = occupancy(event.id, district)
    limit = _quota_for(event, district)
    # Strict first come, first served: nobody passes people already waiting in the same queue
    # (with quotas, each district has its own queue).
    queue_waiting = seen.waiting_in_district if event.quota is not None else seen.waiting
    confirmed = (
        queue_waiting == 0
        and seen.confirmed + places <= event.capacity
        and (limit is None or seen.confirmed_in_district + places <= limit)
    )
    from flask import current_app

    registration = Registration(
        event_id=event.id,
        user_id=user.id,
        for_children=bool(children),
        places=places,
        district=district,
        status="confirmed" if confirmed else "waitlisted",
        consent_at=now,
        consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        created_at=now,
        confirmed_at=now if confirmed else None,
        waitlisted_at=None if confirmed else now,
        check_in_code=new_code(),
        participants=[
            Participant(
                name=c.name,
                birth_date=c.birth_date,
                guardian_relation=c.guardian_relation,
                emergency_contact=c.emergency_contact,
                health_notes=c.health_notes,
            )
            for c in children
        ],
    )
    registration.event, registration.user = event, user
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # Under the event's lock only a repeated sign-up (or a one-in-a-trillion code clash) gets here.
        raise Conflict(_("You have already signed up for this event."), code="already_registered") from None
    registration.position = None if confirmed else seen.waiting + 1
    notices.registration_made(registration)
    return registration


def visible_registration(user: User, registration_id: int) -> Registration:
    """The owner and the event's organisers see a registration; others get 404."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not (registration.user_id == user.id or can_manage(user, registration.event)):
        raise NotFound(_("No such registration."))
    return registration


def cancel_registration(registration: Registration, actor: User, now: datetime | None = None) -> Registration:
    """Free the place; the first waiting entries that fit are promoted at once."""
    now = now or now_utc()
    if not (registration.user_id == actor.id or can_manage(actor, registration.event)):
        raise NotFound(_("No such registration."))
    event = lock_row(Event, registration.event_id)
    db.session.refresh(registration)
    if registration.status == "cancelled":
        raise Conflict(_("This sign-up is already cancelled."), code="already_cancelled")
    was_confirmed = registration.status == "confirmed"
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
        if _fits(event, registration.places, registration.district):
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
    if not can_manage(actor, registration.event):
        raise NotPermitted(_("Only organisers of this event may do this."))
    event = lock_row(Event, registration.event_id)
    db.session.refresh(registration)
    if registration.status != "waitlisted":
        raise Conflict(_("Only a waiting entry can be moved up."), code="not_waitlisted")
    if not _fits(event, registration.places, registration.district):
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
    if not can_manage(actor, event):
        raise NotPermitted(_("Only organisers of this event may see its roster."))
    return list(
        db.session.scalars(
            db.select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.status, Registration.waitlisted_at, Registration.id)
        )
    )


def counts(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{event_id: (confirmed places, waiting entries)} in one query."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        db.select(
            Registration.event_id,
            db.func.coalesce(
                db.func.sum(db.case((Registration.status == "confirmed", Registration.places), else_=0)), 0
            ),
            db.func.coalesce(db.func.sum(db.case((Registration.status == "waitlisted", 1), else_=0)), 0),
        )
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id)
    ).all()
    found = {row[0]: (int(row[1]), int(row[2])) for row in rows}
    return {eid: found.get(eid, (0, 0)) for eid in event_ids}
