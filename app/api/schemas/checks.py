"""The building blocks of the API's input shapes, and how a shape's refusal becomes the API.md error:
`422 invalid` with a problem per field, named by its dotted path (`credential.issuer`, `sessions.0.start`),
in the request's language. Only the shape is checked here (types, known values, nesting); the rules
(capacity, quotas, windows, lengths) stay in the services, which the pages call too."""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from app.errors.domain import ValidationFailed
from app.errors.inputs import MAX_INT
from app.timezones import parse_date, parse_datetime

# An optional field that may be left out (or sent as null) but is documented as never null.
Omitted = SkipJsonSchema[None]


@dataclass(frozen=True)
class Says:
    """How a field's refusal reads: `problem` for a wrong value, `missing` when a required one is absent;
    `at`, the name it is reported under when that is not its own dotted path (as the services name it)."""

    problem: Any
    missing: Any = None
    at: str | None = None


def refuse(problem: str) -> PydanticCustomError:
    """A refusal whose message is `problem` itself (already translated)."""
    return PydanticCustomError("problem", "{problem}", {"problem": problem})


def _read_with(parse, kind: type):
    """A validator reading text with `parse` (app.timezones' own readers), which raises ValueError."""

    def check(value: object) -> object:
        if isinstance(value, kind):
            return value
        try:
            return parse(value)
        except (TypeError, ValueError):
            raise ValueError(f"not a {kind.__name__}") from None

    return check


def _query_int(minimum: int):
    def check(value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            number = int(value)
        except ValueError:
            raise refuse(_("Must be a whole number.")) from None
        if abs(number) > MAX_INT:
            raise refuse(_("This number is too large."))
        if number < minimum:
            raise refuse(_("Must be at least %(n)s.", n=minimum))
        return number

    return check


TEXT, WHOLE, BOOL = _l("Enter text."), _l("Must be a whole number."), _l("Use true or false.")
Text = Annotated[str, Says(TEXT, _l("Required."))]
Whole = Annotated[int, Says(WHOLE, _l("Required."))]
Flag = Annotated[bool, Says(BOOL)]
Filled = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]  # text, not only blanks
# ISO 8601 read as app.timezones reads it: no offset means Asia/Shanghai; only the supported years.
Moment = Annotated[
    datetime,
    BeforeValidator(_read_with(parse_datetime, datetime)),
    WithJsonSchema({"type": "string", "format": "date-time"}),
    Says(_l("Use an ISO 8601 date and time."), _l("Required.")),
]
Day = Annotated[
    date, BeforeValidator(_read_with(parse_date, date)), WithJsonSchema({"type": "string", "format": "date"})
]


def one_of(values: tuple[str, ...]) -> Any:
    """A string limited to one of a model's constants (DISTRICTS, KINDS, …)."""
    return Literal[values]


def choice(values: tuple[str, ...], problem: Any = None) -> Any:
    """One of a model's constants, refused with `problem` (or the list of them) in a request."""
    return Annotated[one_of(values), Says(problem or _ChoiceProblem(values), _l("Required."))]


@dataclass(frozen=True)
class _ChoiceProblem:
    values: tuple[str, ...]

    def __str__(self) -> str:
        return _("Choose one of: %(list)s.", list=", ".join(self.values))


def query_int(minimum: int) -> Any:
    """A whole number from the query string, at least `minimum` (the database's integer at most)."""
    return Annotated[int, BeforeValidator(_query_int(minimum)), Field(ge=minimum, le=MAX_INT), Says(WHOLE)]


class Body(BaseModel):
    """A JSON request body: values of the declared types only (no "5" for 5, no 1 for true)."""

    model_config = ConfigDict(strict=True)


class Query(BaseModel):
    """Query arguments: text as sent; an empty argument counts as left out."""

    model_config = ConfigDict(strict=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        return {k: v for k, v in data.items() if v != ""} if isinstance(data, dict) else data


def validated(shape: type[BaseModel], data: object) -> BaseModel:
    """`data` as `shape`, or ValidationFailed naming each refused field."""
    try:
        return shape.model_validate(data)
    except ValidationError as error:
        problems: dict[str, str] = {}
        for item in error.errors(include_url=False):
            path, says = _place(shape, item["loc"])
            if path is not None:
                problems.setdefault(path or "body", _problem(item, says))
        raise ValidationFailed(problems) from None


def _problem(item: dict, says: Says | None) -> str:
    if item["type"] == "problem":
        return item["ctx"]["problem"]
    if item["type"] == "missing":
        return str(says.missing if says and says.missing else _l("Required."))
    return str(says.problem) if says else _("Some fields are not valid.")


def _place(shape: Any, loc: tuple) -> tuple[str | None, Says | None]:
    """The dotted path an error at `loc` is reported at, and the `Says` that words it: the field's own,
    or for an item of a list or a dictionary, the item type's or else the container's. An optional
    field is a union with None, whose members' names appear in `loc`: they are skipped, and the
    error of its None member (a value was given, so it is not None) is no error at all (path None)."""
    path: list[str] = []
    kind, says = _unwrap(shape)
    before: Says | None = None
    tagged = False
    for part in loc:
        if tagged:
            tagged = False
            if part == "none":
                return None, None
            continue
        if part == "[key]":  # the key itself is wrong: the dictionary's own problem
            path.pop()
            says = before
            break
        is_field = isinstance(kind, type) and issubclass(kind, BaseModel)
        kind, found = _inside(kind, part)
        tagged = get_origin(kind) in (Union, types.UnionType) and any(map(_is_skipped_none, get_args(kind)))
        kind, inner = _unwrap(kind)
        before, says = says, (found or inner if is_field else inner or says)
        path.append(str(part))
    if says is not None and says.at:
        return says.at, says
    return ".".join(path), says


def _inside(kind: Any, part: Any) -> tuple[Any, Says | None]:
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        fields = {f.alias or name: f for name, f in kind.model_fields.items()}
        field = fields.get(part) or kind.model_fields.get(part)
        if field is None:
            return Any, None
        return field.annotation, _last_says(field.metadata)
    origin, args = get_origin(kind), get_args(kind)
    if origin is list and args:
        return args[0], None
    if origin is dict and len(args) == 2:
        return args[1], None
    return Any, None


def _unwrap(kind: Any) -> tuple[Any, Says | None]:
    """The type under Annotated and `X | None`, and the `Says` found on the way."""
    says = None
    while True:
        if get_origin(kind) is Annotated:
            args = get_args(kind)
            says = _last_says(args[1:]) or says
            kind = args[0]
        elif get_origin(kind) in (Union, types.UnionType):
            rest = [a for a in get_args(kind) if a is not type(None) and not _is_skipped_none(a)]
            if len(rest) != 1:
                return kind, says
            kind = rest[0]
        else:
            return kind, says


def _is_skipped_none(kind: Any) -> bool:
    return get_origin(kind) is Annotated and get_args(kind)[0] is type(None)


def _last_says(metadata) -> Says | None:
    """The outermost `Says` (Annotated flattens nested metadata, innermost first)."""
    found = [m for m in metadata if isinstance(m, Says)]
    return found[-1] if found else None
