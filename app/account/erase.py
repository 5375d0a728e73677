"""Deleting one's account: future places freed, personal fields erased, aggregates kept."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit
from app.account.retention import ERASED_CHILD_FIELDS
from app.errors.domain import RuleViolation
from app.events.answers import erase_answers
from app.extensions import db
from app.models import ApiToken, Booking, Event, Notification, Participant, Registration, User
from app.models.booking import HOLDING_STATUSES
from app.models.event import ACTIVE_REGISTRATION_STATUSES
from app.models.user import DISTRICTS
from app.notifications.outbox import greeting, in_user_locale, notify
from app.timezones import now_utc


def erase_account(user: User, password: str, now: datetime | None = None) -> None:
    """Cancel the user's future bookings and sign-ups (freeing rooms, promoting waiting lists,
    telling organisers), then erase their personal fields. Rows stay, without identity, so
    attendance records and statistics keep their figures."""
    now = now or now_utc()
    if not isinstance(password, str) or not check_password_hash(user.password_hash, password):
        raise RuleViolation(
            _("The password is not correct."),
            code="wrong_password",
            fields={"password": _("The password is not correct.")},
        )
    districts = _cancel_future_bookings(user, now) | _cancel_future_registrations(user, now)
    _tell_organisers(districts)
    _erase_children(user)
    audit.record(user, "account_deleted", user, district=user.district)
    user.name = _("Deleted user")
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@invalid"
    user.phone = None
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    user.credential_number = None
    user.credential_note = None
    user.calendar_token = secrets.token_urlsafe(24)
    user.active = False
    user.deleted_at = now
    db.session.execute(db.delete(ApiToken).where(ApiToken.user_id == user.id))
    # Messages to the erased address are of no use to anyone and still name the person.
    db.session.execute(db.delete(Notification).where(Notification.user_id == user.id))
    db.session.flush()


def _cancel_future_bookings(user: User, now: datetime) -> set[str]:
    from app.bookings.services.actions import cancel_booking

    future = db.session.scalars(
        db.select(Booking).where(
            Booking.user_id == user.id,
            Booking.status.in_(HOLDING_STATUSES),
            Booking.starts_at > now,
            Booking.event_session_id.is_(None),
        )
    )
    districts = set()
    for booking in list(future):
        cancel_booking(user, booking.id, reason=_("Account deleted"), now=now)
        districts.add(booking.room.home.district)
    return districts


def _cancel_future_registrations(user: User, now: datetime) -> set[str]:
    from app.events.registrations import cancel_registration

    future = list(
        db.session.scalars(
            db.select(Registration)
            .join(Event)
            .where(
                Registration.user_id == user.id,
                Registration.status.in_(ACTIVE_REGISTRATION_STATUSES),
                Event.ends_at > now,
            )
        )
    )
    if not future:
        return set()
    districts = set()
    for registration in future:
        cancel_registration(registration, user, now=now)
        host = registration.event.host
        districts |= set(DISTRICTS) if host == "joint" else {host}
    return districts


def _tell_organisers(districts: set[str]) -> None:
    """Organisers of the homes and events concerned learn that places were freed (no names)."""
    if not districts:
        return
    organisers = db.session.scalars(
        db.select(User).where(User.role == "organiser", User.district.in_(sorted(districts)), User.active.is_(True))
    )
    for organiser in organisers:
        with in_user_locale(organiser):
            notify(
                organiser,
                "account_deleted",
                _("A talent deleted their account"),
                "\n\n".join(
                    [
                        greeting(organiser),
                        _(
                            "A talent deleted their account. Their future bookings and "
                            "sign-ups were cancelled and the places freed; waiting "
                            "lists were moved up."
                        ),
                    ]
                ),
            )


def _erase_children(user: User) -> None:
    ids = db.select(Registration.id).where(Registration.user_id == user.id)
    db.session.execute(db.update(Participant).where(Participant.registration_id.in_(ids)).values(**ERASED_CHILD_FIELDS))
    erase_answers(ids)
