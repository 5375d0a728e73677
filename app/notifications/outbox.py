"""Writing notices to the outbox, in the same transaction as the change that causes them."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.models import Notification, User


def notify(
    user: User | None,
    kind: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    ics: str | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Queue one message to a user. `subject` and `body` are already in the user's language
    (render them inside `in_user_locale(user)`). Users without an address get nothing."""
    if user is None or not user.active or not user.email:
        return None
    message = Notification(
        user_id=user.id,
        recipient=user.email,
        kind=kind,
        locale=user.locale or "zh",
        subject=subject,
        body_text=body,
        body_html=html,
        ics=ics,
        dedupe_key=dedupe_key,
    )
    db.session.add(message)
    return message


def in_user_locale(user: User | None):
    """Context manager: gettext speaks the recipient's language inside it."""
    return force_locale((user.locale if user and user.locale else None) or "zh")


def greeting(user: User) -> str:
    return _("Hello %(name)s,", name=user.name)
