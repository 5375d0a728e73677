"""Ending credentials: a new password, a logout or a revoked token stop what was issued before."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.services import password_problem
from app.auth.tokens import hash_token
from app.errors.domain import ValidationFailed
from app.extensions import db
from app.models import ApiToken, User
from app.models.user import new_session_stamp


def end_sessions(user: User) -> None:
    """Every session and remember cookie of the user stops logging in; API tokens are untouched.

    One stamp per user: logging out in one browser logs the user out in all of them."""
    user.session_stamp = new_session_stamp()
    db.session.flush()


def set_password(user: User, new_password: str, keep_token: str | None = None) -> None:
    """Store a new password and end every session, remember cookie and API token of the user,
    except the API token `keep_token` (the one that asked for the change). A page that keeps its
    own session logs the user in again afterwards."""
    user.password_hash = generate_password_hash(new_password)
    end_sessions(user)
    tokens = db.delete(ApiToken).where(ApiToken.user_id == user.id)
    if keep_token:
        tokens = tokens.where(ApiToken.token_hash != hash_token(keep_token))
    db.session.execute(tokens)
    db.session.flush()


def change_password(user: User, current_password, new_password, keep_token: str | None = None) -> None:
    """A signed-in user's change: the current password must be right and the new one strong."""
    errors = {}
    if not isinstance(current_password, str) or not check_password_hash(user.password_hash, current_password):
        errors["current_password"] = _("The password is not correct.")
    problem = password_problem(new_password, user.email)
    if problem:
        errors["new_password"] = problem
    if errors:
        raise ValidationFailed(errors)
    set_password(user, new_password, keep_token)


def revoke_api_token(user: User, token: str) -> None:
    """The token answers 401 from now on."""
    db.session.execute(db.delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.token_hash == hash_token(token)))
    db.session.flush()
