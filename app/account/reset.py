"""Password reset: a single-use link that expires after an hour, sent through the outbox."""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.services import password_problem
from app.auth.sessions import set_password
from app.errors.domain import RuleViolation, ValidationFailed
from app.extensions import db
from app.models import User
from app.models.user import normalise_email
from app.notifications.outbox import greeting, in_user_locale, notify

MAX_AGE_SECONDS = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    # The token names the current password hash, so it dies once the password changes.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def request_reset(email: str, link_for) -> None:
    """Queue a reset link when the address belongs to an active account; say nothing otherwise."""
    if not isinstance(email, str):
        return
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return
    link = link_for(make_reset_token(user))
    with in_user_locale(user):
        subject = _("Reset your Talent Home password")
        body = "\n\n".join(
            [
                greeting(user),
                _(
                    "Someone asked to reset the password of your Talent Home account. "
                    "Open this link within one hour to choose a new password:"
                ),
                link,
                _("If it was not you, ignore this message: your password stays as it is."),
            ]
        )
    notify(user, "password_reset", subject, body)


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        raise RuleViolation(_("This link has expired. Please ask for a new one."), code="token_expired") from None
    except BadSignature:
        raise RuleViolation(_("This link is not valid."), code="token_invalid") from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("p") != _fingerprint(user):
        raise RuleViolation(_("This link has already been used or is not valid."), code="token_invalid")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password; the same link cannot be used again, and every session, remember cookie
    and API token issued before stops working."""
    user = user_for_reset_token(token)
    problem = password_problem(new_password, user.email)
    if problem:
        raise ValidationFailed({"password": problem})
    set_password(user, new_password)
    return user
