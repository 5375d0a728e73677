"""API: tokens, registration, the caller's account."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from app.account.data import Export, export_user_data
from app.api import Unauthorised, bp, login_required
from app.api.schemas import Status, inputs
from app.api.schemas.accounts import CalendarUrl, Registered, Token, User, calendar_url
from app.api.spec import operation
from app.auth import services, sessions, throttle, tokens
from app.auth.loading import bearer_token
from app.caching import no_store
from app.extensions import limiter


@bp.post("/auth/token")
@throttle.login_limits
@operation("Get a bearer token", Token, "400 401 429", body=inputs.Login, auth=False)
def token(body: inputs.Login):
    user = services.authenticate(body.email, body.password)
    if user is None:
        throttle.mark_failed()
        raise Unauthorised(_("Wrong e-mail address or password."), code="invalid_credentials")
    value = tokens.issue_api_token(user, current_app.config["API_TOKEN_DAYS"])
    return Token(token=value, token_type="Bearer", user=User.of(user))


@bp.post("/auth/logout")
@login_required
@operation("Revoke the token used", None, "401", status=204)
def logout():
    sessions.revoke_api_token(current_user, bearer_token())
    return "", 204


@bp.post("/users")
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"])
@operation("Register", Registered, "400 409 422 429", status=201, body=inputs.SignUpUser, auth=False)
def register(body: inputs.SignUpUser):
    data = body.model_dump(exclude={"credential"})
    user = services.register_user(
        {**data, **body.credential.model_dump()}, current_app.config["PRIVACY_NOTICE_VERSION"]
    )
    return Registered(id=user.id, talent_status=user.talent_status), 201


@bp.get("/me")
@login_required
@operation("The caller", User, "401")
def me():
    return User.of(current_user)


@bp.post("/me/password")
@login_required
@operation(
    "Change the password; every other token and session ends", None, "401", status=204, body=inputs.PasswordChange
)
def change_password(body: inputs.PasswordChange):
    """The token making the call keeps working; every other token and page session ends."""
    sessions.change_password(current_user, body.current_password, body.new_password, keep_token=bearer_token())
    return "", 204


@bp.post("/me/calendar-token")
@login_required
@operation("New personal feed URL", CalendarUrl, "401")
def new_calendar_token():
    tokens.reset_calendar_token(current_user)
    return CalendarUrl(calendar_url=calendar_url(current_user))


@bp.post("/auth/password-reset")
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"])
@operation("Send a reset link if the address exists", Status, "429", status=202, body=inputs.ResetRequest, auth=False)
def password_reset(body: inputs.ResetRequest):
    """202 whether or not the address exists, so accounts cannot be enumerated."""
    from app.account.reset import request_reset
    from app.account.routes import reset_link

    request_reset(body.email, reset_link)
    return Status(status="accepted"), 202


@bp.post("/auth/password-reset/confirm")
@operation("Set a new password with the e-mailed token", Status, body=inputs.ResetConfirm, auth=False)
def password_reset_confirm(body: inputs.ResetConfirm):
    from app.account.reset import reset_password

    reset_password(body.token, body.password)
    return Status(status="password_changed")


@bp.get("/me/export")
@login_required
@no_store
@operation("Everything held about the caller", Export, "401")
def export_me():
    return export_user_data(current_user)


@bp.delete("/me")
@login_required
@operation("Erase the caller's account", None, "401", status=204, body=inputs.Password)
def delete_me(body: inputs.Password):
    from app.account.erase import erase_account

    erase_account(current_user, body.password)
    return "", 204
