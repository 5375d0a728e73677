"""Domain errors raised by services, each with a stable machine code and an HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    status = 422
    code = "invalid"

    def __init__(self, message: str, code: str | None = None, fields: dict | None = None, **details):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}
        self.details = details


class Malformed(DomainError):
    """A request the server cannot read at all (not a JSON object, nested too deeply)."""

    status = 400
    code = "bad_request"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class NotPermitted(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RuleViolation(DomainError):
    status = 422
    code = "invalid"


class ValidationFailed(RuleViolation):
    """Bad input, with a message per field."""

    def __init__(self, fields: dict, message: str | None = None):
        from flask_babel import gettext as _

        super().__init__(message or _("Some fields are not valid."), code="invalid", fields=fields)
