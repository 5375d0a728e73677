"""JSON API v1 (see API.md): one blueprint; each feature adds its routes in its own module."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user

from app.errors.domain import DomainError, NotPermitted

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class Unauthorised(DomainError):
    status = 401
    code = "unauthorized"


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


def _register_modules() -> None:
    import importlib

    for name in ("accounts", "homes", "bookings", "events", "registrations", "attendance", "openapi"):
        try:
            importlib.import_module(f"app.api.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"app.api.{name}":
                raise


_register_modules()
