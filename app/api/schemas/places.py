"""Shapes of the homes, their rooms, a room's day and bookings."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from app.api.schemas import District, LocalTime, Named, Shape, one_of
from app.models.booking import PURPOSES, STATUSES
from app.models.home import EQUIPMENT
from app.timezones import now_utc

Purpose, BookingStatus, Equipment = one_of(PURPOSES), one_of(STATUSES), one_of(EQUIPMENT)


class Home(Shape):
    id: int
    district: District
    name: str
    name_en: str
    address: str
    address_en: str
    opening_hours: dict[str, Any]


class Room(Shape):
    id: int
    home: District
    home_id: int
    name: str
    name_en: str
    capacity: int
    equipment: list[str]
    requires_approval: bool

    @classmethod
    def of(cls, room) -> Room:
        return cls(
            id=room.id,
            home=room.home.district,
            home_id=room.home_id,
            name=room.name,
            name_en=room.name_en,
            capacity=room.capacity,
            equipment=list(room.equipment or []),
            requires_approval=room.requires_approval,
        )


class Interval(Shape):
    start: LocalTime
    end: LocalTime

    @classmethod
    def many(cls, intervals) -> list[Interval]:
        return [cls(start=start, end=end) for start, end in intervals]


class Schedule(Shape):
    room_id: int
    date: str = Field(json_schema_extra={"format": "date"})
    open: Interval | None
    busy: list[Interval]
    free: list[Interval]


class Booking(Shape):
    """`can_cancel`, `can_check_in` when a viewer is known; `user` for those who manage the booking."""

    id: int
    room_id: int
    room: str
    home: District
    start: LocalTime
    end: LocalTime
    title: str
    purpose: Purpose
    attendees: int
    status: BookingStatus
    status_reason: str | None
    checked_in_at: LocalTime | None
    series_id: str | None
    created_at: LocalTime
    can_cancel: bool = False
    can_check_in: bool = False
    user: Named | None = None

    @classmethod
    def of(cls, booking, viewer=None) -> Booking:
        shape = cls(
            id=booking.id,
            room_id=booking.room_id,
            room=booking.room.name,
            home=booking.room.home.district,
            start=booking.starts_at,
            end=booking.ends_at,
            title=booking.title,
            purpose=booking.purpose,
            attendees=booking.attendees,
            status=booking.status,
            status_reason=booking.status_reason,
            checked_in_at=booking.checked_in_at,
            series_id=booking.series_id,
            created_at=booking.created_at,
        )
        if viewer is not None:
            now = now_utc()
            shape.can_cancel = booking.can_cancel(viewer, now)
            shape.can_check_in = booking.can_check_in(viewer, now)
        if viewer is not None and booking.managed_by(viewer):
            shape.user = Named(id=booking.user.id, name=booking.user.name) if booking.user else None
        return shape


class Skipped(Shape):
    date: str = Field(json_schema_extra={"format": "date"})
    code: str
    message: str


class BookingSeries(Shape):
    items: list[Booking]
    skipped: list[Skipped]
