"""A talent's own data (PIPL): everything held about them, as one JSON document."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from app.api.schemas import LocalTime, Shape
from app.api.schemas.registrations import Participant
from app.events.answers import answers_of, shown
from app.events.questions import locale, questions_of
from app.extensions import db
from app.models import Booking, CheckIn, Notification, Registration, User


class Consent(Shape):
    version: str | None
    given_at: LocalTime | None


class ExportedAccount(Shape):
    id: int
    name: str
    email: str
    phone: str | None
    role: str
    district: str | None
    locale: str | None
    created_at: LocalTime
    consent: Consent
    booking_suspended_until: LocalTime | None


class ExportedCredential(Shape):
    issuer: str | None = Field(validation_alias="credential_issuer")
    number: str | None = Field(validation_alias="credential_number")
    status: str = Field(validation_alias="talent_status")
    note: str | None = Field(validation_alias="credential_note")
    verified_at: LocalTime | None


class ExportedBooking(Shape):
    id: int
    room_id: int
    room: str
    start: LocalTime
    end: LocalTime
    title: str
    purpose: str
    attendees: int
    status: str
    checked_in_at: LocalTime | None
    created_at: LocalTime


class ExportedAnswer(Shape):
    question_id: int
    question: str
    answer: Any
    shown: str


class ExportedRegistration(Shape):
    id: int
    event_id: int
    event: str
    status: str
    places: int
    consent: Consent
    created_at: LocalTime
    children: list[Participant]
    answers: list[ExportedAnswer]


class ExportedCheckIn(Shape):
    registration_id: int | None
    session_id: int
    at: LocalTime = Field(validation_alias="created_at")


class ExportedNotification(Shape):
    kind: str
    subject: str
    status: str
    created_at: LocalTime


class Export(Shape):
    """The account, its credential, bookings, registrations with the children signed up and the
    answers given, check-ins and messages — what the system holds about the user."""

    account: ExportedAccount
    credential: ExportedCredential
    bookings: list[ExportedBooking]
    registrations: list[ExportedRegistration]
    check_ins: list[ExportedCheckIn]
    notifications: list[ExportedNotification]


def _account(user: User) -> ExportedAccount:
    consent = Consent(version=user.consent_version, given_at=user.consent_at)
    return ExportedAccount.model_validate({**_columns(user), "consent": consent})


def _columns(row) -> dict:
    return {column.key: getattr(row, column.key) for column in row.__mapper__.column_attrs}


def _booking(booking: Booking) -> ExportedBooking:
    return ExportedBooking.model_validate(
        {**_columns(booking), "room": booking.room.name, "start": booking.starts_at, "end": booking.ends_at}
    )


def _registration(registration: Registration) -> ExportedRegistration:
    consent = Consent(version=registration.consent_version, given_at=registration.consent_at)
    return ExportedRegistration.model_validate(
        {
            **_columns(registration),
            "event": registration.event.title,
            "consent": consent,
            "children": [Participant.model_validate(p) for p in registration.participants],
            "answers": _answers(registration),
        }
    )


def _answers(registration: Registration) -> list[ExportedAnswer]:
    values = answers_of(registration)
    return [
        ExportedAnswer(
            question_id=q.id, question=q.label(locale()), answer=values[str(q.id)], shown=shown(q, values[str(q.id)])
        )
        for q in questions_of(registration.event)
        if str(q.id) in values
    ]


def export(user: User) -> Export:
    bookings = db.session.scalars(db.select(Booking).where(Booking.user_id == user.id).order_by(Booking.starts_at))
    registrations = list(
        db.session.scalars(
            db.select(Registration).where(Registration.user_id == user.id).order_by(Registration.created_at)
        )
    )
    check_ins = db.session.scalars(
        db.select(CheckIn).where(CheckIn.registration_id.in_([r.id for r in registrations] or [0]))
    )
    messages = db.session.scalars(
        db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.created_at)
    )
    return Export(
        account=_account(user),
        credential=ExportedCredential.model_validate(user),
        bookings=[_booking(b) for b in bookings],
        registrations=[_registration(r) for r in registrations],
        check_ins=[ExportedCheckIn.model_validate(c) for c in check_ins],
        notifications=[ExportedNotification.model_validate(m) for m in messages],
    )


def export_user_data(user: User) -> dict:
    """The export as plain JSON data, for the page, the download and the API."""
    return export(user).dump()
