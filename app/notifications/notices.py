"""Notices about a talent's account: the outcome of a credential review."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.models import User
from app.notifications.outbox import greeting, in_user_locale, notify


def credential_verified(talent: User) -> None:
    with in_user_locale(talent):
        subject = _("Your talent credential is verified")
        body = "\n\n".join(
            [
                greeting(talent),
                _("An organiser has verified your talent credential."),
                _("You can now book rooms in both Talent Homes and sign up for events."),
            ]
        )
    notify(talent, "credential_verified", subject, body)


def credential_rejected(talent: User, reason: str) -> None:
    with in_user_locale(talent):
        subject = _("Your talent credential could not be verified")
        body = "\n\n".join(
            [
                greeting(talent),
                _("An organiser could not verify your talent credential."),
                _("Reason: %(reason)s", reason=reason),
                _("If you think this is a mistake, please contact the Talent Home of your district."),
            ]
        )
    notify(talent, "credential_rejected", subject, body)


def credential_expired(talent: User, valid_until: date) -> None:
    with in_user_locale(talent):
        subject = _("Your talent credential has expired")
        body = "\n\n".join(
            [
                greeting(talent),
                _(
                    "The registry lists your talent credential as valid until %(date)s.",
                    date=valid_until.isoformat(),
                ),
                _(
                    "Until it is renewed you cannot book rooms or sign up for events; "
                    "an organiser will check your credential again."
                ),
            ]
        )
    notify(talent, "credential_expired", subject, body)
