"""The API's shapes: Pydantic models that shape every answer and describe it in the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema

from app.api.schemas.checks import Day as Day  # re-exported for the answer shapes
from app.api.schemas.checks import one_of
from app.models.user import DISTRICTS
from app.timezones import iso_local

# Aware datetimes answer as ISO 8601 in Asia/Shanghai (+08:00), as API.md promises.
LocalTime = Annotated[
    datetime,
    PlainSerializer(iso_local, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
District = one_of(DISTRICTS)

T = TypeVar("T")


class Shape(BaseModel):
    """An answer's shape. Fields with a default appear only when set, as optional keys do today."""

    model_config = ConfigDict(from_attributes=True)

    def dump(self) -> dict:
        return self.model_dump(mode="json", exclude_unset=True)


class Items(Shape, Generic[T]):
    items: list[T]


class Named(Shape):
    id: int | None
    name: str | None


class Alternative(Shape):
    """A free interval offered instead of a refused booking: `home` is the room's district slug."""

    room_id: int
    home: District
    start: LocalTime
    end: LocalTime


class ErrorDetail(Shape):
    """`alternatives` on a booking refused for a clash, a closure, the hours or the size (API.md)."""

    code: str
    message: str
    fields: dict[str, str] = {}
    alternatives: list[Alternative] = []


class Error(Shape):
    """Every refusal: `{"error": {"code", "message", "fields"}}`."""

    error: ErrorDetail


class Status(Shape):
    status: str
