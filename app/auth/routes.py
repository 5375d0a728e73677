"""Pages: register, log in and out, review pending credentials (the registry's pages are in registry_pages)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import credentials, queries, services, sessions, throttle
from app.auth.forms import LoginForm, ReasonForm, RegisterForm
from app.errors.domain import DomainError
from app.extensions import db, limiter
from app.models import User
from app.refusals import about, keeps_typed, place_errors, refused_status
from app.timezones import local_today
from app.unit_of_work import savepoint
from app.urls import safe_next

bp = Blueprint("auth", __name__)


def apply_errors(form, error: DomainError) -> None:
    """Show a service's field errors beside the form's fields."""
    for name, message in (error.fields or {}).items():
        field = getattr(form, name.split(".")[-1], None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")
    if not error.fields:
        flash(error.message, "error")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
@keeps_typed
def register():
    form = RegisterForm()
    problems: list[str] = []
    if form.validate_on_submit():
        data = {k: form[k].data for k in ("name", "email", "phone", "password", "district", "issuer", "number")}
        data["consent"] = bool(form.consent.data)
        try:
            with savepoint():
                user = services.register_user(data, current_app.config["PRIVACY_NOTICE_VERSION"])
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            login_user(user)  # keeps the browser's language on the account (app/i18n.py)
            if user.is_verified_talent:
                flash(_("Welcome! Your credential is verified: you can book rooms and sign up for events."), "success")
            else:
                flash(_("Welcome! Your credential will be checked by an organiser."), "info")
            return redirect(url_for("main.index"))
    elif request.method == "POST" and not form.consent.data:
        form.consent.errors = [*form.consent.errors, _("Please agree to the privacy notice.")]
    return render_template("auth/register.html", form=form, problems=problems), refused_status(form)


@bp.route("/login", methods=["GET", "POST"])
@throttle.login_limits
@keeps_typed
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.mark_failed()
            form.password.errors = [_("Wrong e-mail address or password.")]
        else:
            login_user(user, remember=form.remember.data)  # keeps the browser's language on the account
            target = safe_next(request.args.get("next"))
            if user.consent_version != current_app.config["PRIVACY_NOTICE_VERSION"]:
                return redirect(url_for("account.consent", next=target))
            return redirect(target)
    return render_template("auth/login.html", form=form), refused_status(form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        sessions.end_sessions(current_user)  # a copy of the session cookie no longer logs in
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


def _require_staff():
    if not current_user.is_staff:
        abort(403)


@bp.get("/credentials/pending")
@login_required
def pending():
    _require_staff()
    return _pending_page()


def _pending_page(refused: dict | None = None):
    talents = queries.pending_talents()
    return render_template(
        "auth/pending.html",
        talents=talents,
        registry=queries.registry_entries_for(talents),
        today=local_today(),
        form=ReasonForm(),
        refused=refused,
    )


@bp.post("/credentials/<int:user_id>/verify")
@login_required
def verify(user_id: int):
    _require_staff()
    credentials.verify_credential(current_user, db.get_or_404(User, user_id))
    flash(_("Credential verified."), "success")
    return redirect(url_for("auth.pending"))


@bp.post("/credentials/<int:user_id>/reject")
@login_required
def reject(user_id: int):
    """A refused rejection is shown again in the queue: the reason typed, the problem beside it."""
    _require_staff()
    form = ReasonForm()
    talent = db.get_or_404(User, user_id)
    try:
        with savepoint():
            credentials.reject_credential(current_user, talent, form.reason.data or "")
    except DomainError as error:
        message = about(talent.name or talent.email, error.fields.get("reason", error.message))
        return _pending_page({"user_id": talent.id, "reason": form.reason.data or "", "error": message}), error.status
    flash(_("Credential rejected."), "info")
    return redirect(url_for("auth.pending"))


from app.auth import registry_pages  # noqa: E402, F401  (its routes join this blueprint)
