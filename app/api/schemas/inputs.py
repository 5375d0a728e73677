"""Shapes of request bodies: the API validates each body against its operation's shape (see
app/api/spec.py) and the OpenAPI document describes the same shape. A field the services decide on
with an error code of their own (the login's credentials, consent, the password that erases an
account) is optional here, so that its code stays theirs."""

from __future__ import annotations

from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import Field

from app.api.schemas.checks import Body, Filled, Flag, Moment, Omitted, Says, Text, Whole, choice
from app.attendance.services import WALK_IN_DISTRICTS
from app.models.booking import PURPOSES
from app.models.event import HOSTS, KINDS, SUBTYPES, THEMES
from app.models.home import EQUIPMENT
from app.models.question import QUESTION_KINDS
from app.models.user import DISTRICTS, ISSUERS

District = choice(DISTRICTS, _l("Use liwan or nanhai."))


class Login(Body):
    email: Text | Omitted = None
    password: Text | Omitted = None


class ResetRequest(Body):
    email: Text


class ResetConfirm(Body):
    token: Text
    password: Text


class CredentialIn(Body):
    issuer: choice(ISSUERS, _l("Choose a recognised credential."))
    number: Annotated[str, Says(_l("Enter the credential number (letters, digits, hyphens)."))]


class SignUpUser(Body):
    name: Text
    email: Text
    password: Text
    district: choice(DISTRICTS, _l("Choose Liwan or Nanhai."))
    phone: Text | Omitted = None
    credential: Annotated[CredentialIn, Says(_l("Choose a recognised credential."), at="credential.issuer")]
    consent: Flag | Omitted = None


class Password(Body):
    password: Text | Omitted = None


class PasswordChange(Body):
    current_password: Text
    new_password: Text


class Repeat(Body):
    weekly: Annotated[int, Says(_l('Use {"weekly": N}.'), at="repeat")]


class BookingIn(Body):
    room_id: Annotated[int, Says(_l("Required."))]
    start: Moment
    end: Moment
    title: Text | Omitted = None
    purpose: choice(PURPOSES) | Omitted = None
    attendees: Annotated[int, Says(_l("Enter the number of people (at least 1)."))] | Omitted = None
    repeat: Annotated[Repeat, Says(_l('Use {"weekly": N}.'))] | Omitted = None
    free_dates_only: Flag | Omitted = None
    # What the booker looks for: should the room be refused, the alternatives have it too.
    equipment: list[choice(EQUIPMENT)] | Omitted = None


class Reason(Body):
    reason: Text | None = None


class SessionIn(Body):
    id: Whole | Omitted = None
    title: Text | Omitted = None
    start: Moment
    end: Moment


class QuestionIn(Body):
    """A registration question; `id` names one to keep (others are added, missing ones removed).
    `label` gives both languages' label, `label_zh`/`label_en` each one."""

    id: Whole | Omitted = None
    label: Text | Omitted = None
    label_zh: Text | Omitted = None
    label_en: Text | Omitted = None
    kind: choice(QUESTION_KINDS)
    required: Flag | Omitted = None
    options: list[Text] | Omitted = None


class EventIn(Body):
    """Every writable field of an event; a PATCH sends those it changes."""

    kind: choice(KINDS, _l("Unknown kind.")) | Omitted = None
    subtype: choice(SUBTYPES, _l("Unknown type of exchange.")) | None = None
    title: Text | Omitted = None
    description: Text | Omitted = None
    host: choice(HOSTS, _l("Unknown host.")) | Omitted = None
    start: Moment | Omitted = None
    end: Moment | Omitted = None
    capacity: Whole | Omitted = None
    venue: Annotated[dict[str, Any], Says(_l('The venue is {"room_id": N} or {"address": "…"}.'))] | Omitted = None
    sessions: Annotated[list[SessionIn], Says(_l("Each session needs a start and an end."))] | Omitted = None
    quota: Annotated[dict[District, Whole | None], Says(_l('Quota is {"liwan": N, "nanhai": N} or null.'))] | None = (
        None
    )
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = None
    theme: choice(THEMES, _l("Unknown theme.")) | None = None
    itinerary: Annotated[list[Any], Says(_l("The itinerary is a list of up to 50 stops."))] | Omitted = None
    min_age: Whole | None = None
    max_age: Whole | None = None
    questions: list[QuestionIn] | Omitted = None


CHILD = _l("Each child needs name, birth date, relation and emergency contact.")


class ParticipantIn(Body):
    """A child at a youth camp. Name, birth date, relation and an emergency contact (`emergency_contact`, or
    `emergency_contact_name` with `emergency_contact_phone`) are required; the sign-up checks them together,
    so that one answer names every missing or wrong field."""

    name: Text | Omitted = None
    birth_date: Annotated[Text | Omitted, Field(json_schema_extra={"format": "date"})] = None
    guardian_relation: Annotated[
        Text | Omitted, Field(description="father, mother, grandparent, other_guardian (or older free text)")
    ] = None
    emergency_contact: Annotated[Text | Omitted, Field(description="name and phone in one text (older clients)")] = None
    emergency_contact_name: Text | Omitted = None
    emergency_contact_phone: Annotated[Text | Omitted, Field(description="a mainland mobile or landline")] = None
    health_notes: Text | Omitted = None


class SignUp(Body):
    consent: Flag | Omitted = None
    participant: Annotated[ParticipantIn, Says(CHILD)] | Omitted = None
    participants: Annotated[list[Annotated[ParticipantIn, Says(CHILD)]], Says(CHILD)] | Omitted = None
    answers: Annotated[
        dict[str, Any] | Omitted,
        Field(description='`{"<question id>": value}`: a string, a list for `multi`, a boolean for `yes_no`'),
    ] = None


class WalkIn(Body):
    # Named as the check-in service names them: `name`, `district`, `places`.
    name: Annotated[Filled, Says(_l("Enter a name of at most 100 characters."), at="name")]
    district: Annotated[choice(WALK_IN_DISTRICTS), Says(_l("Choose Liwan, Nanhai or other."), at="district")]
    places: Annotated[int, Says(_l("Must be a whole number."), at="places")] | Omitted = None


class CheckInIn(Body):
    """`{code}` checks a sign-up in; `{walk_in}` adds someone who came without one."""

    code: Annotated[str, Says(_l("Enter a check-in code."))] | Omitted = None
    walk_in: WalkIn | Omitted = None
    session_id: Whole | Omitted = None
