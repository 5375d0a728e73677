"""Writing notices to the outbox, in the same transaction as the change that causes them."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.database import insert_together, run_core
from app.extensions import db
from app.models import Notification, User
from app.models.base import utcnow


def notify(
    user: User | None,
    kind: str,
    subject: str,
    body: str,
    html: str | None = None,
    ics: str | None = None,
    dedupe_key: str | None = None,
    **about,
) -> int | None:
    """Queue one message to a user. `subject` and `body` are already in the user's language
    (render them inside `in_user_locale(user)`). Users without an address get nothing.

    A message with a `dedupe_key` is queued at most once, whoever else queues the same key at the
    same time: the insert runs in a savepoint and a duplicate key leaves the caller's transaction intact.
    `about` (`message_row`'s `now`, `event_id`, `booking_id`): when it was queued, and what it is
    about, so the message centre links to it.

    The row is written at once, by one INSERT (the session's pending rows are flushed first, so
    that those it refers to exist); nothing of it is kept in the session. Returns the new message's
    id, or None when nothing was queued."""
    row = message_row(user, kind, subject, body, html=html, ics=ics, dedupe_key=dedupe_key, **about)
    if row is None or dedupe_key is None:
        return queue(row)
    db.session.flush()
    if already_queued(dedupe_key):
        return None
    try:
        with db.session.begin_nested():
            return _insert(row)
    except IntegrityError:  # queued by someone else meanwhile
        return None


def message_row(
    user: User | None,
    kind: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    ics: str | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
    event_id: int | None = None,
    booking_id: int | None = None,
) -> dict | None:
    """The outbox row of one message (`notify`'s arguments), or None for a user without an
    address: for `queue` and `queue_with`."""
    if user is None or not user.active or not user.email:
        return None
    row = {
        "user_id": user.id,
        "recipient": user.email,
        "kind": kind,
        "locale": user.locale or "zh",
        "subject": subject[:300],
        "body_text": body,
        "body_html": html,
        "ics": ics,
        "dedupe_key": dedupe_key,
        "status": "queued",
        "attempts": 0,
        "event_id": event_id,
        "booking_id": booking_id,
    }
    # Every column's value is given: `queue_with` may send the row within another INSERT, which
    # computes no defaults for it.
    row["created_at"] = row["next_attempt_at"] = now or utcnow()
    return row


def queue(row: dict | None) -> int | None:
    """Write a message row (`message_row`; None: nothing) at once, after flushing the session's
    pending rows so that those it refers to exist. Returns the new message's id."""
    if row is None:
        return None
    db.session.flush()
    return _insert(row)


def queue_with(*inserts: tuple, row: dict | None):
    """Run `inserts` (each an INSERT and its row or rows, as `database.insert_together` takes
    them) and queue the message `row` (`message_row`; None: no message) with them, in one round
    trip on PostgreSQL: what a booking or a sign-up writes last, and its message. The caller has
    flushed what they refer to, and the message has no `dedupe_key`. Returns the first INSERT's
    result."""
    assert row is None or row["dedupe_key"] is None, "a deduplicated message is queued by notify"
    return insert_together(*inserts, *([(_INSERT, row)] if row is not None else []))


_INSERT = db.insert(Notification.__table__)


def _insert(row: dict) -> int:
    return run_core(_INSERT, row).inserted_primary_key[0]  # the caller has flushed


def already_queued(dedupe_key: str) -> bool:
    return db.session.scalar(db.select(Notification.id).where(Notification.dedupe_key == dedupe_key)) is not None


def in_user_locale(user: User | None):
    """Context manager: gettext speaks the recipient's language inside it."""
    return force_locale((user.locale if user and user.locale else None) or "zh")


def greeting(user: User) -> str:
    return _("Hello %(name)s,", name=user.name)
