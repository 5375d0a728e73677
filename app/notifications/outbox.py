"""Writing notices to the outbox, in the same transaction as the change that causes them."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Notification, User


def notify(
    user: User | None,
    kind: str,
    subject: str,
    body: str,
    html: str | None = None,
    ics: str | None = None,
    dedupe_key: str | None = None,
    *,
    now: datetime | None = None,
    event_id: int | None = None,
    booking_id: int | None = None,
) -> Notification | None:
    """Queue one message to a user. `subject` and `body` are already in the user's language
    (render them inside `in_user_locale(user)`). Users without an address get nothing.

    A message with a `dedupe_key` is queued at most once, whoever else queues the same key at the
    same time: the insert runs in a savepoint and a duplicate key leaves the caller's transaction intact.
    `event_id` / `booking_id` name what it is about, so the message centre links to it.
    Returns the queued message, or None when nothing was queued."""
    if user is None or not user.active or not user.email:
        return None
    message = Notification(
        user_id=user.id,
        recipient=user.email,
        kind=kind,
        locale=user.locale or "zh",
        subject=subject[:300],
        body_text=body,
        body_html=html,
        ics=ics,
        dedupe_key=dedupe_key,
        status="queued",
        attempts=0,
        event_id=event_id,
        booking_id=booking_id,
    )
    if now is not None:
        message.created_at = message.next_attempt_at = now
    if dedupe_key is None:
        db.session.add(message)
        return message
    return _queue_once(message)


def _queue_once(message: Notification) -> Notification | None:
    """Insert a message with a dedupe key unless one with that key is queued (or being queued) already."""
    if already_queued(message.dedupe_key):
        return None
    db.session.flush()  # the caller's pending rows first, so only our insert can hit the duplicate
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def already_queued(dedupe_key: str) -> bool:
    return db.session.scalar(db.select(Notification.id).where(Notification.dedupe_key == dedupe_key)) is not None


def in_user_locale(user: User | None):
    """Context manager: gettext speaks the recipient's language inside it."""
    return force_locale((user.locale if user and user.locale else None) or "zh")


def greeting(user: User) -> str:
    return _("Hello %(name)s,", name=user.name)
