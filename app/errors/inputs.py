"""Screening of request input that no field can hold: text that is not Unicode (lone surrogates in
JSON, bytes that are not UTF-8 in query strings and forms), NUL characters, integers beyond the
database's integer type (ids in the path among them), JSON nested too deeply to parse. Such input is
refused before any view runs."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request
from flask_babel import gettext as _

from app.errors.domain import Malformed, ValidationFailed

MAX_INT = 2**31 - 1  # the databases' INTEGER


def _scalars(data: object) -> Iterator[tuple[str, object]]:
    """(top-level key, value) for every key and scalar value in a JSON document. The walk is
    iterative: a deeply nested body cannot exhaust the stack."""
    stack = list(data.items()) if isinstance(data, dict) else [("body", data)]
    stack = [(str(key), value) for key, value in stack]
    if isinstance(data, dict):
        yield from ((str(key), key) for key in data)
    while stack:
        field, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((field, item) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            stack.extend((field, item) for item in value)
        else:
            yield field, value


def is_unicode(text: str) -> bool:
    """False for a string holding a lone surrogate (JSON's "\\ud800"): it cannot be stored or encoded."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_problems(data: object) -> dict[str, str]:
    """Fields (named by their top-level key) holding a NUL character or an out-of-range integer."""
    problems: dict[str, str] = {}
    for field, value in _scalars(data):
        if isinstance(value, str) and "\x00" in value:
            problems[field] = _("Text must not contain NUL characters.")
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            problems[field] = _("This number is too large.")
    return problems


def _not_utf8() -> bool:
    """A query string or url-encoded form whose bytes, percent-escapes decoded, are not UTF-8."""
    parts = [request.query_string]
    if request.mimetype == "application/x-www-form-urlencoded":
        parts.append(request.get_data(cache=True))
    try:
        for part in parts:
            unquote_to_bytes(part).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _screen_json() -> None:
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise Malformed(_("The request body is nested too deeply.")) from None
    if any(isinstance(value, str) and not is_unicode(value) for _field, value in _scalars(data)):
        raise Malformed(_("The request holds text that is not valid Unicode."))
    problems = json_problems(data)
    if problems:
        raise ValidationFailed(problems)


def screen_request() -> None:
    # Ids beyond the integer type cannot exist: a 404, not a driver error.
    if any(isinstance(v, int) and v > MAX_INT for v in (request.view_args or {}).values()):
        abort(404)
    if _not_utf8():
        request.query_string = b""  # the error page's links must not carry the bytes on
        if request.path.startswith("/api/"):
            raise Malformed(_("The request holds text that is not valid UTF-8."))
        abort(400)
    given = (pair for values in (request.args, request.form) for pair in values.items(multi=True))
    nul = [name for name, value in given if "\x00" in value]
    if nul:
        if request.path.startswith("/api/"):
            raise ValidationFailed({name: _("Text must not contain NUL characters.") for name in nul})
        abort(400)
    if request.is_json:
        _screen_json()


def init_screening(app: Flask) -> None:
    # First of all: CSRF protection and the rate limiter read the form too.
    app.before_request_funcs.setdefault(None, []).insert(0, screen_request)
