"""Pages: forgotten password, reset, change of password, renewed consent."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from app.account import reset
from app.account.data import export_user_data
from app.account.erase import erase_account
from app.account.forms import ConsentForm, DeleteForm, ForgotForm, PasswordForm, ResetForm
from app.auth import sessions
from app.caching import no_store
from app.errors.domain import DomainError
from app.extensions import limiter
from app.refusals import keeps_typed, place_errors, refused_status
from app.timezones import now_utc
from app.unit_of_work import savepoint
from app.urls import public_url, safe_next

bp = Blueprint("account", __name__)


def reset_link(token: str) -> str:
    return public_url("account.reset_password", token=token)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
@keeps_typed
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        reset.request_reset(form.email.data, reset_link)
        flash(_("If the address belongs to an account, a link to reset the password is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("account/forgot.html", form=form), refused_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@keeps_typed
def reset_password(token: str):
    form = ResetForm()
    problems: list[str] = []
    try:
        reset.user_for_reset_token(token)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("account.forgot_password"))
    if form.validate_on_submit():
        try:
            with savepoint():
                reset.reset_password(token, form.password.data)
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            flash(_("Your password has been changed. Please log in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("account/reset.html", form=form, problems=problems), refused_status(form)


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
@keeps_typed
def change_password():
    """This session stays logged in; every other session, remember cookie and API token ends."""
    form = PasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            with savepoint():
                sessions.change_password(user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
            login_user(user, remember=remembered)  # the session and cookie now carry the new stamp
            flash(_("Your password has been changed. Other devices must log in again."), "success")
            return redirect(url_for("account.my_data"))
    return render_template("account/password.html", form=form, problems=problems), refused_status(form)


@bp.route("/consent", methods=["GET", "POST"])
@login_required
@keeps_typed
def consent():
    """Asked again when the privacy notice has changed since the user agreed."""
    form = ConsentForm()
    version = current_app.config["PRIVACY_NOTICE_VERSION"]
    if form.validate_on_submit():
        if form.consent.data:
            current_user.consent_version, current_user.consent_at = version, now_utc()
            return redirect(safe_next(request.args.get("next")))
        form.consent.errors = [_("Please agree to the privacy notice.")]
    return render_template("account/consent.html", form=form, version=version), refused_status(form)


@bp.get("/me/data")
@login_required
@no_store
def my_data():
    return render_template("account/data.html", data=export_user_data(current_user), form=DeleteForm())


@bp.get("/me/data.json")
@login_required
@no_store
def download_data():
    body = json.dumps(export_user_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=talent-home-my-data.json"},
    )


@bp.post("/me/delete")
@login_required
@keeps_typed
def delete_account():
    form = DeleteForm()
    problems: list[str] = []
    if form.validate_on_submit() and form.confirm.data:
        try:
            with savepoint():
                erase_account(current_user, form.password.data)
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            logout_user()
            flash(_("Your account has been deleted."), "info")
            return redirect(url_for("main.index"))
    elif not form.confirm.data:
        form.confirm.errors = [*form.confirm.errors, _("Please tick the box to confirm.")]
    page = render_template("account/data.html", data=export_user_data(current_user), form=form, problems=problems)
    return page, refused_status(form)
