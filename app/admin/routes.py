"""Pages: users and roles (admins), the audit log (admins; organisers see their district)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.admin import services
from app.errors.domain import DomainError
from app.extensions import db
from app.models import User
from app.refusals import about
from app.timezones import local_day_bounds, parse_date
from app.unit_of_work import savepoint

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@login_required
def users():
    if not current_user.is_admin:
        abort(403)
    query = request.args.get("q", "")[:100]
    return render_template("admin/users.html", users=services.search_users(query), q=query, refused=None)


@bp.post("/users/<int:user_id>/role")
@login_required
def change_role(user_id: int):
    """A refused change is shown again in the user's row: the role and district chosen, the problem beside them."""
    if not current_user.is_admin:
        abort(403)
    user = db.get_or_404(User, user_id)
    role, district = request.form.get("role", ""), request.form.get("district")
    query = request.args.get("q", "")[:100]
    try:
        with savepoint():
            services.change_role(current_user, user, role, district)
    except DomainError as error:
        subject = user.name or user.email
        errors = {name: about(subject, message) for name, message in (error.fields or {}).items()}
        refused = {"user_id": user.id, "role": role, "district": district or "", "errors": errors}
        problems = [] if errors else [about(subject, error.message)]
        page = render_template(
            "admin/users.html", users=services.search_users(query), q=query, refused=refused, problems=problems
        )
        return page, error.status
    flash(_("Role changed."), "success")
    return redirect(url_for("admin.users", q=query))


def _date_arg(name: str) -> date | None:
    try:
        return parse_date(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/audit")
@login_required
def audit_log():
    if not current_user.is_staff:
        abort(403)
    since, until = _date_arg("from"), _date_arg("to")
    entries = services.audit_entries(
        current_user,
        action=request.args.get("action") or None,
        since=local_day_bounds(since)[0] if since else None,
        until=local_day_bounds(until + timedelta(days=0))[1] if until else None,
    )
    actors = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_({e.actor_id for e in entries})))}
    return render_template(
        "admin/audit.html", entries=entries, actors=actors, actions=services.audit_actions(), args=request.args
    )


from app.admin import holidays  # noqa: E402,F401  (the holiday calendar pages, on this blueprint)
