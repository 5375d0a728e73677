"""Pages: my messages (the list and each one opened), and the admins' view of undelivered mail with a retry button."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.database import lock_row
from app.models import Notification
from app.notifications import queries, services
from app.unit_of_work import attempt, writes

bp = Blueprint("notifications", __name__)


@bp.get("/me/notifications")
@login_required
def mine():
    return render_template(
        "notifications/mine.html",
        messages=queries.recent_for_user(current_user),
        unread=queries.unread_count(current_user),
    )


@bp.get("/me/notifications/<int:message_id>")
@login_required
@writes
def show(message_id: int):
    message = queries.own_message(current_user, message_id)
    services.mark_read(current_user, message)
    return render_template("notifications/show.html", message=message)


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.get("/admin/notifications")
@login_required
def undelivered():
    _admin_only()
    status = request.args.get("status") or None
    return render_template(
        "notifications/admin.html",
        messages=queries.undelivered(status),
        counts=queries.count_by_status(),
        status=status if status in queries.UNDELIVERED else None,
    )


@bp.post("/admin/notifications/<int:message_id>/retry")
@login_required
def retry(message_id: int):
    _admin_only()
    # Locked, so that a sender claiming it at this moment cannot see it queued twice.
    message = lock_row(Notification, message_id)
    if message is None:
        abort(404)
    attempt(
        lambda: services.retry_message(current_user, message),
        _("The message will be sent again on the next delivery run."),
    )
    return redirect(url_for("notifications.undelivered", status=request.args.get("status") or None))


@bp.post("/admin/notifications/retry-failed")
@login_required
def retry_failed():
    _admin_only()
    count = services.retry_all_failed(current_user)
    flash(_("%(count)d failed messages will be sent again.", count=count), "success")
    return redirect(url_for("notifications.undelivered"))
