"""Shapes of sign-ups, check-ins and an event's attendance record."""

from __future__ import annotations

from typing import Any

from app.api.schemas import Day, District, LocalTime, Named, Shape, one_of
from app.attendance import records
from app.attendance.figures import FIGURE_DISTRICTS
from app.attendance.services import WALK_IN_DISTRICTS, registration_names
from app.events import places
from app.events.answers import answers_of
from app.models.event import REGISTRATION_STATUSES

RegistrationStatus, WalkInDistrict = one_of(REGISTRATION_STATUSES), one_of(WALK_IN_DISTRICTS)
FigureDistrict = one_of(FIGURE_DISTRICTS)


class Participant(Shape):
    """A child signed up by a guardian; the details are erased some time after the event."""

    name: str | None
    birth_date: Day | None
    guardian_relation: str | None
    emergency_contact: str | None
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None
    health_notes: str | None


class Registration(Shape):
    """`check_in_code` and `participants` for the holder and the organisers; `user` for organisers."""

    id: int
    event_id: int
    status: RegistrationStatus
    waitlist_position: int | None
    places: int
    district: District | None
    check_in_code: str | None
    created_at: LocalTime
    no_show: bool
    user: Named | None = None
    participants: list[Participant] = []
    answers: dict[str, Any] = {}

    @classmethod
    def of(cls, registration, viewer, position: int | None = None, answers: dict | None = None) -> Registration:
        """`position` and `answers` may be given when they are already known (a new entry), saving reads."""
        manages = registration.event.managed_by(viewer)
        sees_details = registration.visible_to(viewer)
        if position is None and registration.status == "waitlisted":
            position = places.waitlist_position(registration)
        shape = cls(
            id=registration.id,
            event_id=registration.event_id,
            status=registration.status,
            waitlist_position=position,
            places=registration.places,
            district=registration.district,
            check_in_code=registration.check_in_code if sees_details and registration.status == "confirmed" else None,
            created_at=registration.created_at,
            no_show=registration.no_show,
        )
        if manages:
            shape.user = Named(id=registration.user_id, name=registration.user.name if registration.user else None)
        if registration.for_children and sees_details:
            shape.participants = [Participant.model_validate(p) for p in registration.participants]
        if sees_details:
            shape.answers = answers if answers is not None else answers_of(registration)
        return shape


class RegistrationGroup(Registration):
    """Children signed up together are one entry; the list form answers with it as the single item."""

    items: list[Registration]


class CheckIn(Shape):
    """Organisers only: the desk needs the names to greet people."""

    id: int
    event_id: int
    session_id: int
    registration_id: int | None
    walk_in: bool
    names: list[str | None]
    guardian: str | None
    district: WalkInDistrict | None
    places: int
    checked_in_at: LocalTime

    @classmethod
    def of(cls, check_in) -> CheckIn:
        registration = check_in.registration
        names, guardian = registration_names(registration) if registration else ([check_in.walk_in_name], None)
        return cls(
            id=check_in.id,
            event_id=check_in.event_id,
            session_id=check_in.session_id,
            registration_id=check_in.registration_id,
            walk_in=registration is None,
            names=names,
            guardian=guardian,
            district=records.registration_district(registration) if registration else check_in.walk_in_district,
            places=check_in.places,
            checked_in_at=check_in.created_at,
        )


class DistrictFigures(Shape):
    """One district's share of the figures; the districts add up to the totals."""

    registered: int
    attended: int
    walk_ins: int
    no_show: int


class SessionFigures(Shape):
    """One session: the registered places, those checked in at it, and its walk-in places."""

    session_id: int
    number: int
    title: str
    start: LocalTime
    end: LocalTime
    registered: int
    attended: int
    attended_registered: int  # the same as attended (kept for older clients)
    walk_ins: int
    present: int


class Attendance(Shape):
    """Aggregates only, never names. `attended` counts registered places checked in at least once,
    `present = attended + walk_ins`, `attendance_rate = attended / registered` (null when 0);
    `no_show` is 0 until the event has ended. `other` in `by_district` holds walk-ins of no district."""

    event_id: int
    registered: int
    attended: int
    attended_registered: int  # the same as attended (kept for older clients)
    walk_ins: int
    present: int
    no_show: int
    attendance_rate: float | None
    by_district: dict[FigureDistrict, DistrictFigures]
    by_session: list[SessionFigures]
    per_session: list[SessionFigures]  # the same as by_session (kept for older clients)
    ended: bool
    published: bool
    published_at: LocalTime | None
