"""Delivery through a real SMTP server on localhost: content, outage and backoff, concurrent senders."""

from __future__ import annotations

import logging
import shutil
import socket
import ssl
import subprocess
import threading
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from bookings_factories import add_booking

from app.extensions import db
from app.models import Notification
from app.notifications.delivery import claim_due, retry_delay, send_due
from app.notifications.outbox import notify
from app.timezones import now_utc

ICS = "\r\n".join(
    ["BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:PUBLISH", "BEGIN:VEVENT", "UID:booking-1@talent-home", "END:VEVENT"]
    + ["END:VCALENDAR", ""]
)


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses addresses at refused.example."""

    def __init__(self) -> None:
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed, envelope.content))
        return "250 Message accepted"

    def subjects(self) -> Counter:
        with self.lock:
            return Counter(str(m[2]["Subject"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """Starts and stops a real SMTP server on one port, so a test can take it down and bring it back."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> Inbox:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self.inbox

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_server(app, monkeypatch):
    server = SmtpServer(free_port())
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_DEFAULT_SENDER": "Talent Home <noreply@talent-home.example>",
        "NOTIFY_RETRY_BASE_SECONDS": 60,
        "NOTIFY_MAX_ATTEMPTS": 8,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield server
    server.stop()


@pytest.fixture
def inbox(mail_server) -> Inbox:
    return mail_server.start()


def queue(user, subject="Booking confirmed", body="Your booking is confirmed.", **kw) -> int:
    message_id = notify(user, "booking_confirmed", subject, body, **kw)
    db.session.commit()
    return message_id


def stored(message_id: int) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, message_id)


def test_message_arrives_with_text_html_and_calendar(make_user, inbox):
    user = make_user(email="chen@example.com", locale="zh")
    body = "陈晓荔，您好：\n\n您的预约已确认。\n时间：12月1日 10:00\n\n详情：https://talent.example/bookings/1?a=1&b=2"
    message_id = queue(user, subject="预约已确认：小会议室", body=body, ics=ICS)

    report = send_due()

    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [(mail_from, rcpt_tos, mail, raw)] = inbox.messages
    assert mail_from == "noreply@talent-home.example" and rcpt_tos == ["chen@example.com"]
    assert mail["Subject"] == "预约已确认：小会议室" and mail["To"] == "chen@example.com"
    assert mail["Message-ID"].startswith(f"<notification-{message_id}.")
    raw.decode("ascii")  # non-ASCII text travels encoded: no 8BITMIME needed
    assert mail.get_content_type() == "multipart/mixed"
    assert mail.get_body(("plain",)).get_content().strip() == body
    html = mail.get_body(("html",)).get_content()
    assert "您的预约已确认。<br>" in html and "预约已确认：小会议室" in html
    assert '<a href="https://talent.example/bookings/1?a=1&amp;b=2">' in html
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH" and attachment.get_filename() == "invite.ics"
    assert attachment.get_content().replace("\r\n", "\n") == ICS.replace("\r\n", "\n")
    sent = stored(message_id)
    assert (sent.status, sent.attempts, sent.claimed_until, sent.last_error) == ("sent", 1, None, None)
    assert sent.sent_at is not None


def test_given_html_is_used_and_no_calendar_means_no_attachment(make_user, inbox):
    user = make_user(locale="en")
    queue(user, subject="Hello", body="Plain text", html="<p>Rich <b>text</b></p>")
    send_due()
    [(_from, _to, mail, _raw)] = inbox.messages
    assert mail.get_content_type() == "multipart/alternative"
    assert mail.get_body(("html",)).get_content().strip() == "<p>Rich <b>text</b></p>"
    assert list(mail.iter_attachments()) == []


def test_generated_html_speaks_the_recipients_language(make_user, inbox):
    queue(make_user(locale="en"), subject="In English")
    send_due()
    html = inbox.messages[0][2].get_body(("html",)).get_content()
    assert 'lang="en"' in html and "sent automatically by Talent Home" in html


def test_outage_keeps_messages_queued_with_backoff_then_delivers_each_once(make_user, mail_server):
    user = make_user()
    ids = [queue(user, subject=f"Message {n}") for n in range(3)]
    t0 = now_utc() + timedelta(seconds=1)

    report = send_due(now=t0)  # nothing listens on the port

    assert (report.sent, report.retrying) == (0, 3)
    for message_id in ids:
        message = stored(message_id)
        assert (message.status, message.attempts, message.claimed_until) == ("queued", 1, None)
        assert "cannot use the mail server" in message.last_error and "refused" in message.last_error.lower()
        assert message.next_attempt_at == t0 + timedelta(seconds=60)

    assert send_due(now=t0 + timedelta(seconds=59)).retrying == 0  # not due yet: no attempt
    assert stored(ids[0]).attempts == 1

    t1 = t0 + timedelta(seconds=60)
    assert send_due(now=t1).retrying == 3
    assert stored(ids[0]).attempts == 2 and stored(ids[0]).next_attempt_at == t1 + timedelta(seconds=120)

    inbox = mail_server.start()
    assert send_due(now=t1 + timedelta(seconds=119)).sent == 0
    assert send_due(now=t1 + timedelta(seconds=120)).sent == 3
    assert send_due(now=t1 + timedelta(hours=5)).sent == 0
    assert inbox.subjects() == Counter({"Message 0": 1, "Message 1": 1, "Message 2": 1})
    for message_id in ids:
        message = stored(message_id)
        assert (message.status, message.attempts) == ("sent", 3)
        assert message.last_error  # the history of the outage stays visible


@pytest.mark.parametrize("attempts, delay", [(1, 60), (2, 120), (3, 240), (8, 7680), (30, 86400)])
def test_retry_delay_doubles_from_the_base(attempts, delay):
    assert retry_delay(attempts, 60) == timedelta(seconds=delay)


def test_gives_up_after_the_limit_and_an_admin_retry_delivers(app, make_user, mail_server, monkeypatch):
    from app.notifications.services import retry_message

    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 3)
    admin = make_user(role="admin", district=None)
    message_id = queue(make_user(), subject="Stubborn")
    now = now_utc()
    for expected in ("queued", "queued", "failed"):
        send_due(now=now)
        assert stored(message_id).status == expected
        now += timedelta(days=2)
    assert stored(message_id).attempts == 3
    assert send_due(now=now + timedelta(days=30)).sent == 0  # given up: no more attempts

    inbox = mail_server.start()
    retry_message(admin, stored(message_id), now=now)
    db.session.commit()
    assert send_due(now=now).sent == 1
    assert inbox.subjects() == Counter({"Stubborn": 1}) and stored(message_id).status == "sent"


def test_refused_recipient_fails_at_once_and_others_still_go(make_user, inbox):
    bad = queue(make_user(email="nobody@refused.example"), subject="To nobody")
    good = queue(make_user(), subject="To somebody")
    report = send_due()
    assert (report.sent, report.failed) == (1, 1)
    assert stored(bad).status == "failed" and "550" in stored(bad).last_error
    assert stored(good).status == "sent" and inbox.subjects() == Counter({"To somebody": 1})


def test_a_live_claim_is_left_alone_and_a_lapsed_one_is_taken_over(make_user, inbox):
    message_id = queue(make_user(), subject="Claimed")
    now = now_utc() + timedelta(seconds=1)
    batch, claimed_until = claim_due(now, 10, timedelta(minutes=10))
    assert [m.id for m in batch] == [message_id] and stored(message_id).status == "sending"

    assert send_due(now=now + timedelta(minutes=9)).sent == 0  # another sender still holds it
    assert send_due(now=claimed_until + timedelta(seconds=1)).sent == 1  # that sender died
    assert inbox.subjects() == Counter({"Claimed": 1})


def test_demo_without_mail_server_writes_to_the_log(make_user, caplog):
    message_id = queue(make_user(email="demo@example.com"), subject="Demo subject", body="Demo body")
    with caplog.at_level(logging.INFO):
        assert send_due().sent == 1
    assert "demo@example.com" in caplog.text and "Demo subject" in caplog.text and "Demo body" in caplog.text
    assert stored(message_id).status == "sent"


@pytest.mark.concurrency
def test_concurrent_senders_never_send_a_message_twice(app, make_user, inbox):
    user = make_user()
    for n in range(40):
        notify(user, "booking_confirmed", f"Concurrent {n}", "body")
    db.session.commit()
    start = threading.Barrier(4)
    reports, errors = [], []

    def sender():
        with app.app_context():
            try:
                start.wait()
                reports.append(send_due(batch_size=3))
            except Exception as error:  # noqa: BLE001 — reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    counts = inbox.subjects()
    assert len(counts) == 40 and set(counts.values()) == {1}
    assert sum(r.sent for r in reports) == 40
    statuses = db.session.scalars(db.select(Notification.status)).all()
    assert statuses == ["sent"] * 40


def test_cli_sends_reminders_once_across_runs(app, runner, make_user, room, inbox):
    user = make_user(email="member@example.com", locale="en")
    start = now_utc() + timedelta(hours=3)
    add_booking(room, user, start, start + timedelta(hours=1), title="Team meeting")

    first = runner.invoke(args=["send-notifications"])
    second = runner.invoke(args=["send-notifications"])

    assert first.exit_code == 0 and "queued 1 reminders; sent 1" in first.output
    assert second.exit_code == 0 and "queued 0 reminders; sent 0" in second.output
    [(_from, rcpt_tos, mail, _raw)] = inbox.messages
    assert rcpt_tos == ["member@example.com"] and mail["Subject"].startswith("Reminder: Team meeting")


@pytest.fixture
def tls_server(app, mail_server, tmp_path, monkeypatch):
    """The SMTP server demanding STARTTLS and a login, with a certificate the client is told to trust."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"mailer", b"s3cret"), handled=False)

    mail_server.controller = Controller(
        mail_server.inbox,
        hostname="127.0.0.1",
        port=mail_server.port,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    )
    mail_server.controller.start()
    for key_name, value in {"MAIL_USE_TLS": True, "MAIL_USERNAME": "mailer", "MAIL_PASSWORD": "s3cret"}.items():
        monkeypatch.setitem(app.config, key_name, value)
    return mail_server.inbox


def test_starttls_and_login(make_user, tls_server):
    queue(make_user(), subject="Over TLS")
    assert send_due().sent == 1
    assert tls_server.subjects() == Counter({"Over TLS": 1})


def test_wrong_password_keeps_the_message_queued(app, make_user, tls_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "wrong")
    message_id = queue(make_user(), subject="Refused login")
    assert send_due().retrying == 1
    message = stored(message_id)
    assert message.status == "queued" and "535" in message.last_error and tls_server.messages == []
