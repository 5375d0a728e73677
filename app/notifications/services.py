"""What the notification pages show, and an admin's retry of undelivered messages."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.errors.domain import NotPermitted, RuleViolation
from app.extensions import db
from app.models import Notification, User
from app.timezones import now_utc

UNDELIVERED = ("failed", "queued", "sending")


def recent_for_user(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def undelivered(status: str | None = None, limit: int = 200) -> list[Notification]:
    """Failed first, then the queue in the order it will be sent."""
    statuses = (status,) if status in UNDELIVERED else UNDELIVERED
    failed_first = db.case((Notification.status == "failed", 0), else_=1)
    return list(
        db.session.scalars(
            db.select(Notification)
            .where(Notification.status.in_(statuses))
            .order_by(failed_first, Notification.next_attempt_at, Notification.id)
            .limit(limit)
        )
    )


def count_by_status() -> dict[str, int]:
    rows = db.session.execute(
        db.select(Notification.status, db.func.count())
        .where(Notification.status.in_(UNDELIVERED))
        .group_by(Notification.status)
    )
    counts = dict.fromkeys(UNDELIVERED, 0)
    counts.update({status: count for status, count in rows})
    return counts


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
