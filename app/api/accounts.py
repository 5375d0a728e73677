"""API: tokens, registration, the caller's account."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from app.api import Unauthorised, bp, json_body, login_required
from app.auth import services, sessions, throttle
from app.auth.loading import bearer_token
from app.caching import no_store
from app.extensions import limiter
from app.urls import public_url


def user_json(user) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "district": user.district,
        "talent_status": user.talent_status if user.talent_status != "rejected" else "none",
        "credential": {"issuer": user.credential_issuer, "number": user.credential_number, "status": user.talent_status}
        if user.credential_issuer
        else None,
        "locale": user.locale or "zh",
        "calendar_url": calendar_url(user),
    }


def calendar_url(user) -> str:
    return public_url("feeds.personal_feed", token=user.calendar_token)


@bp.post("/auth/token")
@throttle.login_limits
def token():
    data = json_body()
    user = services.authenticate(data.get("email"), data.get("password"))
    if user is None:
        throttle.mark_failed()
        raise Unauthorised(_("Wrong e-mail address or password."), code="invalid_credentials")
    value = services.issue_api_token(user, current_app.config["API_TOKEN_DAYS"])
    return {"token": value, "token_type": "Bearer", "user": user_json(user)}


@bp.post("/auth/logout")
@login_required
def logout():
    sessions.revoke_api_token(current_user, bearer_token())
    return "", 204


@bp.post("/users")
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"])
def register():
    data = json_body()
    credential = data.get("credential") if isinstance(data.get("credential"), dict) else {}
    user = services.register_user(
        {**data, "issuer": credential.get("issuer"), "number": credential.get("number")},
        current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    return {"id": user.id, "talent_status": user.talent_status}, 201


@bp.get("/me")
@login_required
def me():
    return user_json(current_user)


@bp.post("/me/password")
@login_required
def change_password():
    """The token making the call keeps working; every other token and page session ends."""
    data = json_body()
    sessions.change_password(
        current_user, data.get("current_password"), data.get("new_password"), keep_token=bearer_token()
    )
    return "", 204


@bp.post("/me/calendar-token")
@login_required
def new_calendar_token():
    services.reset_calendar_token(current_user)
    return {"calendar_url": calendar_url(current_user)}


@bp.post("/auth/password-reset")
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"])
def password_reset():
    """202 whether or not the address exists, so accounts cannot be enumerated."""
    from app.account.reset import request_reset
    from app.account.routes import reset_link

    request_reset(json_body().get("email"), reset_link)
    return {"status": "accepted"}, 202


@bp.post("/auth/password-reset/confirm")
def password_reset_confirm():
    from app.account.reset import reset_password

    data = json_body()
    reset_password(str(data.get("token") or ""), data.get("password"))
    return {"status": "password_changed"}


@bp.get("/me/export")
@login_required
@no_store
def export_me():
    from app.account.data import export_user_data

    return export_user_data(current_user)


@bp.delete("/me")
@login_required
def delete_me():
    from app.account.erase import erase_account

    erase_account(current_user, json_body().get("password"))
    return "", 204
