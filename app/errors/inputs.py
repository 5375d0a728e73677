"""Screening of request input that no field can hold: NUL characters, integers beyond the database's
integer type (ids in the path among them), JSON nested too deeply to parse. Such input is refused
before any view runs."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import gettext as _

from app.errors.domain import Malformed, ValidationFailed

MAX_INT = 2**31 - 1  # the databases' INTEGER


def json_problems(data: object) -> dict[str, str]:
    """Fields (named by their top-level key) holding a NUL character or an out-of-range integer.
    The walk is iterative: a deeply nested body cannot exhaust the stack."""
    problems: dict[str, str] = {}
    stack = list(data.items()) if isinstance(data, dict) else [("body", data)]
    stack = [(str(key), value) for key, value in stack]
    while stack:
        field, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((field, item) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            stack.extend((field, item) for item in value)
        elif isinstance(value, str) and "\x00" in value:
            problems[field] = _("Text must not contain NUL characters.")
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            problems[field] = _("This number is too large.")
    return problems


def screen_request() -> None:
    # Ids beyond the integer type cannot exist: a 404, not a driver error.
    if any(isinstance(v, int) and v > MAX_INT for v in (request.view_args or {}).values()):
        abort(404)
    given = (pair for values in (request.args, request.form) for pair in values.items(multi=True))
    nul = [name for name, value in given if "\x00" in value]
    if nul:
        if request.path.startswith("/api/"):
            raise ValidationFailed({name: _("Text must not contain NUL characters.") for name in nul})
        abort(400)
    if not request.is_json:
        return
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise Malformed(_("The request body is nested too deeply.")) from None
    problems = json_problems(data)
    if problems:
        raise ValidationFailed(problems)


def init_screening(app: Flask) -> None:
    app.before_request(screen_request)
