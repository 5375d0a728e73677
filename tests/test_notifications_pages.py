"""Pages: my messages, and the admins' list of undelivered mail with retry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AuditEntry, Notification
from app.notifications.outbox import notify
from app.timezones import now_utc


def message(user, subject, status="queued", **fields) -> Notification:
    row = db.session.get(
        Notification, notify(user, "booking_confirmed", subject, f"Body of {subject}\n\nSecond paragraph")
    )
    row.status = status
    for key, value in fields.items():
        setattr(row, key, value)
    db.session.commit()
    return row


def stored(message_id: int) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, message_id)


def test_my_messages_needs_login(client):
    response = client.get("/me/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_my_messages_lists_only_my_own(make_user, client, login):
    me, other = make_user(locale="en"), make_user()
    message(me, "Booking confirmed <b>", status="sent", sent_at=now_utc())
    waiting = message(me, "Waiting", status="queued")
    message(other, "Someone else's secret")
    login(me)
    response = client.get("/me/notifications")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Booking confirmed &lt;b&gt;" in page and "Waiting" in page
    assert f'href="/me/notifications/{waiting.id}"' in page
    assert "Someone else" not in page
    opened = client.get(f"/me/notifications/{waiting.id}").get_data(as_text=True)
    assert "<p>Body of Waiting</p>" in opened and "<p>Second paragraph</p>" in opened


@pytest.mark.parametrize("role", ["talent", "organiser"])
def test_undelivered_page_and_retry_are_for_admins_only(make_user, client, login, role):
    failed = message(make_user(), "Broken", status="failed", attempts=8, last_error="boom")
    login(make_user(role=role))
    assert client.get("/admin/notifications").status_code == 403
    assert client.post(f"/admin/notifications/{failed.id}/retry").status_code == 403
    assert client.post("/admin/notifications/retry-failed").status_code == 403
    assert (stored(failed.id).status, stored(failed.id).attempts) == ("failed", 8)


def test_admin_sees_failed_and_queued_messages_with_their_errors(make_user, client, login):
    user = make_user()
    message(user, "Broken", status="failed", attempts=8, last_error="SMTPDataError: 451 try later")
    message(user, "Waiting", status="queued", attempts=2, last_error="ConnectionRefusedError")
    message(user, "Delivered fine", status="sent")
    login(make_user(role="admin", district=None))
    page = client.get("/admin/notifications").get_data(as_text=True)
    assert "Broken" in page and "SMTPDataError: 451 try later" in page and "Waiting" in page
    assert "Delivered fine" not in page
    failed_only = client.get("/admin/notifications?status=failed").get_data(as_text=True)
    assert "Broken" in failed_only and "Waiting" not in failed_only


def test_admin_retry_requeues_with_fresh_attempts_and_is_audited(make_user, client, login):
    admin = make_user(role="admin", district=None)
    failed = message(
        make_user(),
        "Broken",
        status="failed",
        attempts=8,
        last_error="boom",
        next_attempt_at=now_utc() - timedelta(days=3),
    )
    login(admin)
    response = client.post(f"/admin/notifications/{failed.id}/retry")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/notifications")
    retried = stored(failed.id)
    assert (retried.status, retried.attempts, retried.last_error) == ("queued", 0, "boom")
    assert abs(retried.next_attempt_at - now_utc()) < timedelta(minutes=1)
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "notification_retried"))
    assert entry.actor_id == admin.id and entry.object_id == failed.id


@pytest.mark.parametrize("status", ["sent", "sending"])
def test_delivered_or_in_flight_messages_cannot_be_retried(make_user, client, login, status):
    row = message(make_user(), "Done", status=status, attempts=1)
    login(make_user(role="admin", district=None))
    response = client.post(f"/admin/notifications/{row.id}/retry", follow_redirects=True)
    assert response.status_code == 200 and "该消息不在待发送状态" in response.get_data(as_text=True)
    assert (stored(row.id).status, stored(row.id).attempts) == (status, 1)


def test_retry_of_unknown_message_is_404(make_user, client, login):
    login(make_user(role="admin", district=None))
    assert client.post("/admin/notifications/999999/retry").status_code == 404


def test_retry_all_failed(make_user, client, login):
    user = make_user()
    failed = [message(user, f"Broken {n}", status="failed", attempts=8) for n in range(3)]
    sent = message(user, "Fine", status="sent", attempts=1)
    login(make_user(role="admin", district=None))
    assert client.post("/admin/notifications/retry-failed").status_code == 302
    assert {stored(m.id).status for m in failed} == {"queued"}
    assert stored(sent.id).status == "sent"
