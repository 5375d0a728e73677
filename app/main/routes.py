"""Landing page, language switch and the privacy notice."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user

from app.homes.queries import list_homes
from app.i18n import LANG_COOKIE
from app.urls import local_referrer, safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return render_template("main/index.html", homes=list_homes())


@bp.get("/privacy")
def privacy():
    return render_template("main/privacy.html", version=current_app.config["PRIVACY_NOTICE_VERSION"])


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str):
    """Remember the language in the session and a cookie; a POST (the header's switch) also
    keeps it on the account, so e-mails follow it. A GET never writes to the database."""
    if code not in current_app.config["LANGUAGES"]:
        code = "zh"
    session[LANG_COOKIE] = code
    if request.method == "POST" and current_user.is_authenticated:
        current_user.locale = code
    response = redirect(safe_next(request.args.get("next") or local_referrer(request.referrer)))
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
