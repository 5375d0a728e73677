"""Shapes of events, their sessions and venues."""

from __future__ import annotations

from typing import Any

from app.api.schemas import District, LocalTime, Shape, one_of
from app.events import places
from app.events.questions import locale, questions_of
from app.models.event import EVENT_STATUSES, HOSTS, KINDS, SUBTYPES, THEMES
from app.models.question import QUESTION_KINDS
from app.urls import public_url

Kind, Host, Subtype, Theme, EventStatus, QuestionKind = (
    one_of(v) for v in (KINDS, HOSTS, SUBTYPES, THEMES, EVENT_STATUSES, QUESTION_KINDS)
)


class Question(Shape):
    """A registration question; `label` is in the request's language."""

    id: int
    label: str
    label_zh: str
    label_en: str
    kind: QuestionKind
    required: bool
    options: list[str]

    @classmethod
    def of(cls, question) -> Question:
        keys = ("id", "label_zh", "label_en", "kind", "required", "options")
        return cls(label=question.label(locale()), **{k: getattr(question, k) for k in keys})


class Session(Shape):
    id: int
    title: str
    start: LocalTime
    end: LocalTime

    @classmethod
    def of(cls, session) -> Session:
        return cls(id=session.id, title=session.title, start=session.starts_at, end=session.ends_at)


class Venue(Shape):
    """A room of a home (`room_id`, `room`, `home`, `address`) or an address elsewhere."""

    room_id: int | None = None
    room: str | None = None
    home: District | None = None
    address: str | None

    @classmethod
    def of(cls, event) -> Venue | None:
        if event.room is not None:
            room = event.room
            return cls(room_id=room.id, room=room.name, home=room.home.district, address=room.home.address)
        return cls(address=event.address) if event.address else None


class Event(Shape):
    id: int
    kind: Kind
    subtype: Subtype | None
    title: str
    description: str
    host: Host
    start: LocalTime
    end: LocalTime
    sessions: list[Session]
    venue: Venue | None
    capacity: int
    quota: dict[District, int | None] | None
    places_left: int
    waitlist_count: int
    registration_opens_at: LocalTime | None
    registration_closes_at: LocalTime | None
    status: EventStatus
    theme: Theme | None
    itinerary: list[Any]
    min_age: int | None
    max_age: int | None
    sequence: int
    url: str
    questions: list[Question]

    @classmethod
    def of(cls, event, counted: tuple[int, int] | None = None) -> Event:
        """`counted` (confirmed places, waiting entries) may be given when a list counted them at once."""
        confirmed, waiting = counted if counted is not None else places.counts([event.id])[event.id]
        return cls(
            id=event.id,
            kind=event.kind,
            subtype=event.subtype,
            title=event.title,
            description=event.description,
            host=event.host,
            start=event.starts_at,
            end=event.ends_at,
            sessions=[Session.of(s) for s in event.sessions],
            venue=Venue.of(event),
            capacity=event.capacity,
            quota=event.quota,
            places_left=max(0, event.capacity - confirmed),
            waitlist_count=waiting,
            registration_opens_at=event.registration_opens_at,
            registration_closes_at=event.registration_closes_at,
            status=event.display_status(),
            theme=event.theme,
            itinerary=event.itinerary or [],
            min_age=event.min_age,
            max_age=event.max_age,
            sequence=event.sequence,
            url=public_url("events.show", event_id=event.id),
            questions=[Question.of(q) for q in questions_of(event)],
        )
