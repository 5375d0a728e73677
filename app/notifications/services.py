"""A recipient opening a message; an admin's retry of undelivered messages (one, or every failed one)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.errors.domain import NotPermitted, RuleViolation
from app.extensions import db
from app.models import Notification, User
from app.timezones import now_utc


def mark_read(user: User, message: Notification, now: datetime | None = None) -> None:
    """Its recipient has opened it: read from the first time on."""
    if not message.visible_to(user):
        raise NotPermitted(_("Only its recipient can open a message."))
    if message.read_at is None:
        message.read_at = now or now_utc()
        db.session.flush()


def retry_message(admin: User, message: Notification, now: datetime | None = None) -> None:
    """Put a failed or waiting message at the head of the queue with a fresh set of attempts."""
    if not admin.is_admin:
        raise NotPermitted(_("Only administrators can retry messages."))
    if not message.can_retry:
        raise RuleViolation(_("This message is not waiting to be sent."), code="not_retryable")
    message.status = "queued"
    message.attempts = 0
    message.next_attempt_at = now or now_utc()
    message.claimed_until = None
    audit.record(admin, "notification_retried", message, kind=message.kind)
    db.session.flush()


def retry_all_failed(admin: User, now: datetime | None = None) -> int:
    if not admin.is_admin:
        raise NotPermitted(_("Only administrators can retry messages."))
    failed = list(db.session.scalars(db.select(Notification).where(Notification.status == "failed")))
    for message in failed:
        retry_message(admin, message, now)
    return len(failed)
