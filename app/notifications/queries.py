"""What the notification pages show: a user's recent messages, the undelivered ones and their counts."""

from __future__ import annotations

from flask_babel import gettext as _

from app.errors.domain import NotFound
from app.extensions import db
from app.models import Notification, User

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


def unread_count(user: User) -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def own_message(user: User, message_id: int) -> Notification:
    """A message for its recipient; anyone else (and a missing one) gets 404."""
    message = db.session.get(Notification, message_id)
    if message is None or not message.visible_to(user):
        raise NotFound(_("No such message."))
    return message


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
