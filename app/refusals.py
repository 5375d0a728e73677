"""Refused forms shown again: what was typed stays, each problem beside its field and in the summary.

A page whose view is marked `keeps_typed` checks its form's token itself (Flask-WTF's form-level
check, `form.csrf_token.errors`) instead of the app-wide check, so that an expired page is shown
again with its values and "the page had expired" in the summary rather than as a bare error page.
Only views that act solely after `form.validate()` succeeded may be marked.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.errors.domain import DomainError
from app.extensions import csrf


def keeps_typed(view):
    """Mark a form view: its form refuses a stale or missing token like any other field."""
    csrf.exempt(view)
    return view


def token_expired(form) -> bool:
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)


def place_errors(form, error: DomainError, code_fields: dict[str, str] | None = None, subject: str = "") -> list[str]:
    """Put a service's refusal beside the fields it names (or, by its code, `code_fields`); return
    the messages no field holds, for the summary. `subject` ("Room 1, 2026-12-03 10:00–11:00")
    prefixes a rule's message so that it says what it is about."""
    leftover: list[str] = []
    for name, message in (error.fields or {}).items():
        field = getattr(form, name.split(".")[-1], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            leftover.append(message)
    if not error.fields:
        message = about(subject, error.message) if subject else error.message
        name = (code_fields or {}).get(error.code or "")
        field = getattr(form, name, None) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            leftover.append(message)
    return leftover


def refused_status(form, default: int = 422) -> int:
    """200 for a page opened; for a refused post 400 when the page had expired, else `default`."""
    if request.method != "POST":
        return 200
    return 400 if token_expired(form) else default


def about(subject: str, problem: str) -> str:
    """A problem naming what it is about: "Monday: …", "Room A, 2026-12-03 10:00–11:00: …"."""
    return _("%(subject)s: %(problem)s", subject=subject, problem=problem)
