"""Shapes of request bodies and query arguments, as the OpenAPI document describes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from app.api.schemas import Day, District, one_of
from app.api.schemas.accounts import Issuer
from app.api.schemas.events import Host, Kind, Theme
from app.api.schemas.places import Equipment, Purpose
from app.api.schemas.registrations import RegistrationStatus
from app.attendance.services import WALK_IN_DISTRICTS

# An optional field that may be left out but is never null.
Omitted = SkipJsonSchema[None]


class Login(BaseModel):
    email: str
    password: str


class ResetRequest(BaseModel):
    email: str


class ResetConfirm(BaseModel):
    token: str
    password: str


class CredentialIn(BaseModel):
    issuer: Issuer
    number: str


class SignUpUser(BaseModel):
    name: str
    email: str
    password: str
    district: District
    phone: str | Omitted = None
    credential: CredentialIn
    consent: bool


class Password(BaseModel):
    password: str


class PasswordChange(BaseModel):
    current_password: str
    new_password: str


class Repeat(BaseModel):
    weekly: int


class BookingIn(BaseModel):
    room_id: int
    start: datetime
    end: datetime
    title: str
    purpose: Purpose
    attendees: int
    repeat: Repeat | Omitted = None
    free_dates_only: bool | Omitted = None
    # What the booker looks for: should the room be refused, the alternatives have it too.
    equipment: list[Equipment] | Omitted = None


class Reason(BaseModel):
    reason: str | Omitted = None


class SessionIn(BaseModel):
    id: int | Omitted = None
    title: str | Omitted = None
    start: datetime
    end: datetime


class EventIn(BaseModel):
    """Every writable field of an event; a PATCH sends those it changes."""

    kind: Kind | Omitted = None
    title: str | Omitted = None
    description: str | Omitted = None
    host: Host | Omitted = None
    start: datetime | Omitted = None
    end: datetime | Omitted = None
    capacity: int | Omitted = None
    venue: dict[str, Any] | Omitted = None
    sessions: list[SessionIn] | Omitted = None
    quota: dict[District, int | None] | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    theme: Theme | None = None
    itinerary: list[Any] | Omitted = None
    min_age: int | None = None
    max_age: int | None = None


class ParticipantIn(BaseModel):
    name: str
    birth_date: Day
    guardian_relation: str
    emergency_contact: str
    health_notes: str | Omitted = None


class SignUp(BaseModel):
    consent: bool
    participant: ParticipantIn | Omitted = None
    participants: list[ParticipantIn] | Omitted = None
    answers: dict[str, Any] | Omitted = None


class WalkIn(BaseModel):
    name: str
    district: one_of(WALK_IN_DISTRICTS)
    places: int | Omitted = None


class CheckInIn(BaseModel):
    """`{code}` checks a sign-up in; `{walk_in}` adds someone who came without one."""

    code: str | Omitted = None
    walk_in: WalkIn | Omitted = None
    session_id: int | Omitted = None


class RoomsQuery(BaseModel):
    home: District | Omitted = None
    min_capacity: int | Omitted = None
    equipment: str | Omitted = None


class AvailableQuery(RoomsQuery):
    start: datetime
    end: datetime


class DayQuery(BaseModel):
    date: Day | Omitted = None


class BookingsQuery(BaseModel):
    home: District | Omitted = None
    series: str | Omitted = None
    from_: datetime | Omitted = Field(None, alias="from")


class EventsQuery(BaseModel):
    kind: Kind | Omitted = None
    district: District | Omitted = None
    from_: datetime | Omitted = Field(None, alias="from")
    to: datetime | Omitted = None
    status: str | Omitted = None


class RosterQuery(BaseModel):
    status: RegistrationStatus | Omitted = None
