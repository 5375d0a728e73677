"""Error pages and JSON errors: HTML for pages, the API.md error shape under /api/."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.errors.domain import DomainError

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, fields: dict | None = None, **extra):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return jsonify({"error": body}), status


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This method is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again."),
    }


def _page(status: int, message: str):
    return render_template("errors/error.html", status=status, message=message), status


@bp.app_errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    if wants_json():
        return json_error(error.status, error.code, error.message, error.fields, **error.details)
    return _page(error.status, error.message)


def insecure_cookie_message() -> str | None:
    """Why a form cannot be checked on this page, when the reason is that the session cookie is
    https-only and the page came over plain http (the browser never sends it back: reloading cannot
    help); None otherwise. Said by the error page and by a refused form's summary alike."""
    if current_app.config.get("SESSION_COOKIE_SECURE") and not request.is_secure:
        return _(
            "This site sends its cookies over https only, but this page was opened over plain http, "
            "so the form cannot be checked. Open the site's https:// address; for a local test without "
            "https, start it with SESSION_COOKIE_SECURE=0."
        )
    return None


@bp.app_errorhandler(CSRFError)
def handle_csrf(error: CSRFError):
    expired = _("The form expired. Please go back, reload the page and try again.")
    return _page(400, insecure_cookie_message() or expired)


@bp.app_errorhandler(HTTPException)
def handle_http(error: HTTPException):
    status = error.code or 500
    message = _messages().get(status) or error.description or ""
    if wants_json():
        return json_error(status, HTTP_CODES.get(status, "error"), message)
    return _page(status, message)


@bp.app_errorhandler(Exception)
def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http(error)
    log.exception("unhandled error")
    from app.unit_of_work import abandon  # app.unit_of_work imports the domain errors of this package

    abandon()
    if wants_json():
        return json_error(500, "server_error", _messages()[500])
    return _page(500, _messages()[500])


def init_errors(app: Flask) -> None:
    from app.errors.inputs import init_screening

    app.register_blueprint(bp)
    init_screening(app)
