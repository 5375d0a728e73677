"""JSON API v1 (see API.md): one blueprint; each feature adds its routes in its own module."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user

from app.errors.domain import DomainError, Malformed, NotPermitted
from app.errors.inputs import MAX_INT

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class Unauthorised(DomainError):
    status = 401
    code = "unauthorized"


def json_body() -> dict:
    """The request's JSON object; anything else is a 400."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Malformed(_("The request body must be a JSON object."))
    return data


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            raise Unauthorised(_("A valid bearer token is required."))
        return view(*args, **kwargs)

    return wrapper


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_staff:
            raise NotPermitted(_("Only organisers may do this."))
        return view(*args, **kwargs)

    return wrapper


def query_int(name: str, minimum: int | None = None) -> int | None:
    """An optional integer query argument; a bad value is a 422 naming the argument."""
    from app.errors.domain import ValidationFailed

    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed({name: _("Must be a whole number.")}) from None
    if abs(value) > MAX_INT:
        raise ValidationFailed({name: _("This number is too large.")})
    if minimum is not None and value < minimum:
        raise ValidationFailed({name: _("Must be at least %(n)s.", n=minimum)})
    return value


def _register_modules() -> None:
    import importlib

    for name in ("accounts", "homes", "bookings", "events", "registrations", "attendance", "openapi"):
        try:
            importlib.import_module(f"app.api.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"app.api.{name}":
                raise


_register_modules()
