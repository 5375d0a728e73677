"""API: tokens, registration, the caller's account."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from app.account.data import Export, export_user_data
from app.api import Unauthorised, bp, json_body, login_required
from app.api.schemas import Status
from app.api.schemas import inputs as body
from app.api.schemas.accounts import CalendarUrl, Registered, Token, User, calendar_url
from app.api.spec import operation
from app.auth import services, sessions, throttle, tokens
from app.auth.loading import bearer_token
from app.caching import no_store
from app.extensions import limiter


@bp.post("/auth/token")
@operation("Get a bearer token", Token, "400 401 429", body=body.Login, auth=False)
@throttle.login_limits
def token():
    data = json_body()
    user = services.authenticate(data.get("email"), data.get("password"))
    if user is None:
        throttle.mark_failed()
        raise Unauthorised(_("Wrong e-mail address or password."), code="invalid_credentials")
    value = tokens.issue_api_token(user, current_app.config["API_TOKEN_DAYS"])
    return Token(token=value, token_type="Bearer", user=User.of(user))


@bp.post("/auth/logout")
@operation("Revoke the token used", None, "401", status=204)
@login_required
def logout():
    sessions.revoke_api_token(current_user, bearer_token())
    return "", 204


@bp.post("/users")
@operation("Register", Registered, "400 409 422 429", status=201, body=body.SignUpUser, auth=False)
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"])
def register():
    data = json_body()
    credential = data.get("credential") if isinstance(data.get("credential"), dict) else {}
    user = services.register_user(
        {**data, "issuer": credential.get("issuer"), "number": credential.get("number")},
        current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    return Registered(id=user.id, talent_status=user.talent_status), 201


@bp.get("/me")
@operation("The caller", User, "401")
@login_required
def me():
    return User.of(current_user)


@bp.post("/me/password")
@operation("Change the password; every other token and session ends", None, "401", status=204, body=body.PasswordChange)
@login_required
def change_password():
    """The token making the call keeps working; every other token and page session ends."""
    data = json_body()
    sessions.change_password(
        current_user, data.get("current_password"), data.get("new_password"), keep_token=bearer_token()
    )
    return "", 204


@bp.post("/me/calendar-token")
@operation("New personal feed URL", CalendarUrl, "401")
@login_required
def new_calendar_token():
    tokens.reset_calendar_token(current_user)
    return CalendarUrl(calendar_url=calendar_url(current_user))


@bp.post("/auth/password-reset")
@operation("Send a reset link if the address exists", Status, "429", status=202, body=body.ResetRequest, auth=False)
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"])
def password_reset():
    """202 whether or not the address exists, so accounts cannot be enumerated."""
    from app.account.reset import request_reset
    from app.account.routes import reset_link

    request_reset(json_body().get("email"), reset_link)
    return Status(status="accepted"), 202


@bp.post("/auth/password-reset/confirm")
@operation("Set a new password with the e-mailed token", Status, body=body.ResetConfirm, auth=False)
def password_reset_confirm():
    from app.account.reset import reset_password

    data = json_body()
    reset_password(str(data.get("token") or ""), data.get("password"))
    return Status(status="password_changed")


@bp.get("/me/export")
@operation("Everything held about the caller", Export, "401")
@login_required
@no_store
def export_me():
    return export_user_data(current_user)


@bp.delete("/me")
@operation("Erase the caller's account", None, "401", status=204, body=body.Password)
@login_required
def delete_me():
    from app.account.erase import erase_account

    erase_account(current_user, json_body().get("password"))
    return "", 204
