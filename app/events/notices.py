"""Messages about events and sign-ups, queued in the outbox in each recipient's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.events.changes import describe, notable
from app.extensions import db
from app.models import Event, Registration, User
from app.models.event import ACTIVE_REGISTRATION_STATUSES
from app.notifications.outbox import greeting, in_user_locale, message_row, notify
from app.web import format_local


def _ics(event: Event) -> str:
    from app.feeds.fragments import event_file

    return event_file(event)


def _where(event: Event) -> str:
    if event.room is not None:
        return f"{event.room.name} · {event.room.home.name}"
    return event.address or ""


def _body(user: User, event: Event, lines: list[str]) -> str:
    return _framed(greeting(user), lines, _details(event))


def _details(event: Event) -> str:
    """What, when and where: the last part of every message about the event."""
    when = f"{format_local(event.starts_at)} – {format_local(event.ends_at)}"
    return "\n".join([f"{event.title}", when, _where(event)])


def _framed(greeting_line: str, lines: list[str], details: str) -> str:
    return "\n\n".join([greeting_line, *lines, details])


def _send(user: User | None, kind: str, event: Event, subject: str, lines: list[str], ics: str | None) -> None:
    """Queue one message about the event; `ics` is its calendar file (the same in every language, so
    a message to every registrant renders it once), or None for no attachment."""
    if user is None:
        return
    notify(user, kind, subject, _body(user, event, lines), ics=ics, event_id=event.id)


@dataclass
class SignUpNotice:
    """A sign-up's message in both its forms, written before the event is locked (`sign_up_notice`):
    under the lock only the choice between them is left (`registration_message`)."""

    written_for: tuple  # the event's `updated_at` and the check-in code the texts were written with
    confirmed: tuple[str, str]  # subject, body
    waitlisted: tuple[str, str]


def sign_up_notice(user: User, event: Event, code: str) -> SignUpNotice:
    with in_user_locale(user):
        hello, details = greeting(user), _details(event)  # the same in both forms
        place = _("Your place is confirmed. Show your check-in code at the door: %(code)s", code=code)
        confirmed = (_("Your place is confirmed: %(t)s", t=event.title), _framed(hello, [place], details))
        waiting = _("The event is full, so you are on the waiting list. We will write as soon as a place frees up.")
        waitlisted = (_("You are on the waiting list: %(t)s", t=event.title), _framed(hello, [waiting], details))
    return SignUpNotice((event.updated_at, code), confirmed, waitlisted)


def registration_message(registration: Registration, written: SignUpNotice | None = None) -> dict | None:
    """The new sign-up's message, as the outbox row to write with the entry (`outbox.message_row`;
    None: nobody to write to): its place and check-in code (with the event's calendar file), or its
    place on the waiting list. `written`: the texts written before the lock, used unless the event
    changed meanwhile."""
    user, event = registration.user, registration.event
    if user is None:
        return None
    if written is None or written.written_for != (event.updated_at, registration.check_in_code):
        written = sign_up_notice(user, event, registration.check_in_code)
    if registration.has_place:
        subject, body = written.confirmed
        return message_row(user, "registration_confirmed", subject, body, ics=_ics(event), event_id=event.id)
    subject, body = written.waitlisted
    return message_row(user, "registration_waitlisted", subject, body, event_id=event.id)


def registration_promoted(registration: Registration) -> None:
    user, event = registration.user, registration.event
    with in_user_locale(user):
        _send(
            user,
            "registration_promoted",
            event,
            _("A place is yours: %(t)s", t=event.title),
            [
                _(
                    "A place has freed up and it is now yours. Your check-in code: %(code)s",
                    code=registration.check_in_code,
                )
            ],
            _ics(event),
        )


def registration_cancelled(registration: Registration, by_staff: bool) -> None:
    user, event = registration.user, registration.event
    with in_user_locale(user):
        line = _("An organiser has cancelled your sign-up.") if by_staff else _("Your sign-up has been cancelled.")
        _send(user, "registration_cancelled", event, _("Sign-up cancelled: %(t)s", t=event.title), [line], None)


def registrants(event: Event) -> list[User]:
    """The people holding a place or a turn on the waiting list."""
    users = db.session.scalars(
        db.select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_REGISTRATION_STATUSES))
        .distinct()
    )
    return list(users)


def event_changed(event: Event, before: dict, changed: list[str]) -> None:
    """Tell the registrants what changed, field by field (old → new), and the new details."""
    users = registrants(event)
    after, ics = notable(event), _ics(event) if users else None
    for user in users:
        with in_user_locale(user):
            what = "\n".join(describe(before, after, changed))
            _send(
                user,
                "event_changed",
                event,
                _("Changed: %(t)s", t=event.title),
                [_("An event you signed up for has changed:"), what, _("The new details:")],
                ics,
            )


def event_cancelled(event: Event, reason: str = "") -> None:
    users = registrants(event)
    ics = _ics(event) if users else None
    for user in users:
        with in_user_locale(user):
            lines = [_("We are sorry: this event has been cancelled.")]
            if reason:
                lines.append(reason)
            _send(user, "event_cancelled", event, _("Cancelled: %(t)s", t=event.title), lines, ics)
