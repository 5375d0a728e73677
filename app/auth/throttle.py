"""Login limits, shared by the login page and the API's token endpoint: only failed attempts
count, against the account they name (LOGIN_RATE_LIMIT) and against the client's address
(LOGIN_ADDRESS_RATE_LIMIT, higher, so that one address cannot try many accounts).

Both limits are checked before the password is: an account that has had too many failures refuses
even the right password until its window ends, or answering it would let the guessing go on.
Failures on other accounts from the same address do not block it below the address limit."""

from __future__ import annotations

import hashlib

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from app.extensions import limiter
from app.models.user import normalise_email


def _account_key() -> str:
    """The account a login attempt names, hashed: the limiter's storage holds no addresses."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, dict) or hasattr(data, "getlist") else None
    email = normalise_email(email) if isinstance(email, str) else ""
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def mark_failed() -> None:
    """Called by a login view when the e-mail and password do not match."""
    g.login_failed = True


def _failed(_response) -> bool:
    return bool(g.get("login_failed"))


_by_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    scope="login-account",
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
_by_address = limiter.shared_limit(
    lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"],
    scope="login-address",
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=_failed,
)


def login_limits(view):
    return _by_account(_by_address(view))
