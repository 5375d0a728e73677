"""Composing a notice as a MIME e-mail and handing it to the SMTP server (or to the log in the demo)."""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from app.text import one_line
from app.timezones import now_utc

# Non-ASCII text goes out base64 or quoted-printable, so no 8BITMIME support is needed on the way.
MAIL_POLICY = policy.default.clone(cte_type="7bit")
URL = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class Outgoing:
    """What delivery needs of one claimed notice, read before the claim's transaction ends."""

    id: int
    recipient: str
    locale: str
    subject: str
    body_text: str
    body_html: str | None
    ics: str | None
    attempts: int
    created_at: datetime


class MailServerUnavailable(Exception):
    """The server cannot be reached or refuses the session: every message of this run waits."""


class PermanentRejection(Exception):
    """The server refuses this recipient for good (5xx): retrying would not help."""


def text_to_html(text: str) -> list[Markup]:
    """Paragraphs (split on blank lines) with line breaks kept and links made clickable."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.splitlines():
            parts, last = [], 0
            for match in URL.finditer(line):
                parts.append(escape(line[last : match.start()]))
                parts.append(Markup('<a href="{0}">{0}</a>').format(match.group(0)))
                last = match.end()
            parts.append(escape(line[last:]))
            lines.append(Markup("").join(parts))
        paragraphs.append(Markup("<br>\n").join(lines))
    return paragraphs


def compose(message: Outgoing) -> EmailMessage:
    """text/plain and text/html alternatives, plus the .ics (method PUBLISH) when there is one."""
    config = current_app.config
    sender = config["MAIL_DEFAULT_SENDER"]
    html = message.body_html
    if html is None:
        with force_locale(message.locale or "zh"):
            html = render_template(
                "notifications/email.html",
                subject=message.subject,
                paragraphs=text_to_html(message.body_text),
                lang="en" if message.locale == "en" else "zh-CN",
            )
    email = EmailMessage(policy=MAIL_POLICY)
    email["Subject"] = one_line(message.subject)  # a stored title or room name may hold a line break
    email["From"] = sender
    email["To"] = message.recipient
    email["Date"] = format_datetime(now_utc())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    # Stable across retries, so a receiving system can recognise a message it already has.
    email["Message-ID"] = f"<notification-{message.id}.{int(message.created_at.timestamp())}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    email.add_alternative(html, subtype="html")
    if message.ics:
        email.add_attachment(message.ics, subtype="calendar", filename="invite.ics", params={"method": "PUBLISH"})
    return email


class LogMailer:
    """The demo's mail server: writes each message to the application log."""

    def send(self, email: EmailMessage) -> None:
        body = email.get_body(("plain",))
        current_app.logger.info(
            "e-mail to %s: %s\n%s", email["To"], email["Subject"], body.get_content() if body else ""
        )

    def close(self) -> None:
        pass


class SmtpMailer:
    """One SMTP session for a run of deliveries, opened on the first message."""

    def __init__(self, config) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None
        self.unreachable: str | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = config.get("MAIL_TIMEOUT", 30)
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
        try:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: EmailMessage) -> None:
        if self.unreachable:
            raise MailServerUnavailable(self.unreachable)
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except OSError as error:  # smtplib's errors are OSErrors too
                self.unreachable = f"cannot use the mail server: {type(error).__name__}: {error}"
                raise MailServerUnavailable(self.unreachable) from error
        try:
            self._smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            if all(code >= 500 for code, _text in error.recipients.values()):
                raise PermanentRejection(_describe(error)) from error
            raise
        except OSError as error:
            if not isinstance(error, smtplib.SMTPResponseException):
                # The session is broken; the next message opens a new one.
                self._drop()
            raise

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError):
                self._smtp.quit()
            self._drop()


def _describe(error: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(
        f"{rcpt}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
        for rcpt, (code, text) in error.recipients.items()
    )


def mailer_for(config) -> LogMailer | SmtpMailer:
    return SmtpMailer(config) if config.get("MAIL_SERVER") else LogMailer()
