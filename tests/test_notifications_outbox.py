"""Queuing notices: in the caller's transaction, deduplicated, and the credential review notices."""

from __future__ import annotations

import pytest

from app.auth import credentials
from app.extensions import db
from app.models import AuditEntry, Notification, User
from app.notifications import outbox
from app.notifications.outbox import in_user_locale, notify


def notices(user: User) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)))


def test_notify_queues_in_the_callers_transaction(make_user):
    user = make_user(locale="en")
    message_id = notify(user, "booking_confirmed", "Subject", "Body", "<p>Body</p>", "BEGIN:VCALENDAR")
    assert db.session.get(Notification, message_id).status == "queued"
    db.session.rollback()
    assert notices(user) == []  # rolled back with the change that caused it

    notify(user, "booking_confirmed", "Subject", "Body")
    db.session.commit()
    [stored] = notices(user)
    assert (stored.recipient, stored.locale, stored.attempts, stored.body_html) == (user.email, "en", 0, None)


@pytest.mark.parametrize("change", [{"active": False}, {"email": ""}])
def test_no_notice_for_users_without_an_address(make_user, change):
    user = make_user()
    for key, value in change.items():
        setattr(user, key, value)
    assert notify(user, "booking_confirmed", "Subject", "Body") is None
    assert notify(None, "booking_confirmed", "Subject", "Body") is None
    db.session.commit()
    assert notices(user) == []


def test_dedupe_key_queues_once_and_keeps_the_callers_work(make_user):
    user, other = make_user(), make_user()
    assert notify(user, "reminder", "First", "Body", dedupe_key="reminder:booking:1") is not None
    db.session.commit()

    other.name = "Changed in the same transaction"
    assert notify(user, "reminder", "Second", "Body", dedupe_key="reminder:booking:1") is None
    db.session.commit()

    assert [n.subject for n in notices(user)] == ["First"]
    assert db.session.get(User, other.id).name == "Changed in the same transaction"


def test_duplicate_key_raced_in_by_another_transaction_is_ignored(make_user, monkeypatch):
    """The pre-check cannot see a concurrent insert that is not committed yet; the savepoint catches it."""
    user = make_user()
    assert notify(user, "reminder", "Raced", "Body", dedupe_key="reminder:booking:7") is not None
    db.session.commit()
    monkeypatch.setattr(outbox, "already_queued", lambda key: False)
    user.name = "Kept"
    assert notify(user, "reminder", "Mine", "Body", dedupe_key="reminder:booking:7") is None
    db.session.commit()
    assert db.session.get(User, user.id).name == "Kept"
    assert [n.subject for n in notices(user)] == ["Raced"]


def test_in_user_locale_switches_gettext(make_user):
    from flask_babel import gettext as _

    with in_user_locale(make_user(locale="en")):
        assert _("Hello %(name)s,", name="A") == "Hello A,"
    with in_user_locale(make_user(locale=None)):
        assert _("Hello %(name)s,", name="A") == "A，您好："


@pytest.mark.parametrize("locale, greeting", [("en", "Hello Sam,"), ("zh", "Sam，您好：")])
def test_verifying_a_credential_tells_the_talent_in_their_language(make_user, locale, greeting):
    organiser = make_user(role="organiser", district="nanhai")
    talent = make_user(verified=False, name="Sam", locale=locale)
    credentials.verify_credential(organiser, talent)
    db.session.commit()
    [notice] = notices(talent)
    assert notice.kind == "credential_verified" and notice.locale == locale
    assert notice.body_text.startswith(greeting)
    if locale == "en":
        assert notice.subject == "Your talent credential is verified"


def test_rejecting_a_credential_tells_the_reason(make_user):
    organiser = make_user(role="organiser", district="liwan")
    talent = make_user(verified=False, locale="en")
    credentials.reject_credential(organiser, talent, "号码不符")
    db.session.commit()
    [notice] = notices(talent)
    assert notice.kind == "credential_rejected" and "Reason: 号码不符" in notice.body_text
    assert notice.subject == "Your talent credential could not be verified"


def test_a_refused_review_queues_nothing(make_user):
    talent = make_user(verified=False)
    with pytest.raises(Exception):  # noqa: B017 — NotPermitted, from the existing review rule
        credentials.verify_credential(make_user(), talent)
    db.session.rollback()
    assert notices(talent) == [] and db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0
