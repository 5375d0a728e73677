"""How a request finds its user: the session cookie for pages, a bearer token for the API and for
the files an API client downloads (the organisers' exports)."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db, login_manager
from app.models import User


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    # Flask-Login flashes this when a page needs a log-in; str() reads it in the page's language.
    login_manager.login_message = _l("Please log in to access this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(user_id: str):
        if request.path.startswith("/api/"):
            return None  # the API answers to bearer tokens only, so cookies cannot forge calls
        # User.get_id() gives "<id>:<stamp>"; a cookie without the current stamp has been ended.
        number, separator, stamp = str(user_id).partition(":")
        try:
            user = db.session.get(User, int(number)) if separator else None
        except (TypeError, ValueError):
            return None
        return user if user is not None and user.holds_session(stamp) else None

    @login_manager.request_loader
    def _load_from_bearer(req):
        token = bearer_token()
        if not _takes_tokens() or token is None:
            return None
        from app.auth.tokens import user_for_api_token
        from app.unit_of_work import reading_only

        with reading_only():
            return user_for_api_token(token)


def bearer_token() -> str | None:
    """The token of the request's `Authorization: Bearer …` header."""
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


TOKEN_FILES = (".csv", ".xlsx")


def _takes_tokens() -> bool:
    return request.path.startswith("/api/") or (request.method == "GET" and request.path.endswith(TOKEN_FILES))


def login_or_token_required(view):
    """For files that pages link to and API clients fetch: a session or a bearer token; without
    either a plain 401 (a client that follows redirects would otherwise get the login form)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        return view(*args, **kwargs)

    return wrapper
