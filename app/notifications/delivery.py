"""Delivering the outbox: claim due messages atomically, send them, record each outcome once.

Unlike the rest of the app, these steps commit themselves (see app/unit_of_work.py): a claim must be
visible to other senders before the slow SMTP call, and each outcome must be kept even if a later
message of the same run fails, so one command cannot be one transaction here."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, update

from app.extensions import db
from app.models import Notification
from app.notifications.mail import Outgoing, PermanentRejection, compose, mailer_for
from app.timezones import now_utc

MAX_RETRY_DELAY = timedelta(days=1)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _due(now: datetime):
    return or_(
        and_(Notification.status == "queued", Notification.next_attempt_at <= now),
        and_(Notification.status == "sending", Notification.claimed_until < now),
    )


def claim_due(now: datetime, limit: int, lease: timedelta) -> tuple[list[Outgoing], datetime]:
    """Mark up to `limit` due messages as being sent by this run until `now + lease`, and commit.

    PostgreSQL skips rows another sender has locked; SQLite's immediate transaction lets one
    claimer in at a time. Either way no message is claimed by two live senders."""
    query = (
        db.select(Notification)
        .where(_due(now))
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed_until = now + lease
    batch = []
    for message in db.session.scalars(query):
        message.status, message.claimed_until = "sending", claimed_until
        batch.append(
            Outgoing(
                id=message.id,
                recipient=message.recipient,
                locale=message.locale,
                subject=message.subject,
                body_text=message.body_text,
                body_html=message.body_html,
                ics=message.ics,
                attempts=message.attempts,
                created_at=message.created_at,
            )
        )
    db.session.commit()
    return batch, claimed_until


def _still_ours(message_id: int, claimed_until: datetime):
    return update(Notification).where(
        Notification.id == message_id,
        Notification.status == "sending",
        Notification.claimed_until == claimed_until,
    )


def record_sent(message: Outgoing, claimed_until: datetime, now: datetime) -> None:
    result = db.session.execute(
        _still_ours(message.id, claimed_until).values(
            status="sent", sent_at=now, claimed_until=None, attempts=message.attempts + 1
        )
    )
    db.session.commit()
    if result.rowcount != 1:
        current_app.logger.warning("notification %s was sent after its claim had lapsed", message.id)


def retry_delay(attempts: int, base_seconds: int) -> timedelta:
    """base, 2·base, 4·base … after the 1st, 2nd, 3rd … failed attempt (at most a day)."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


def record_failure(message: Outgoing, claimed_until: datetime, now: datetime, error: str, permanent: bool) -> str:
    """Count the attempt; queue it again after the backoff, or give up. Returns the new status."""
    config = current_app.config
    attempts = message.attempts + 1
    gave_up = permanent or attempts >= config["NOTIFY_MAX_ATTEMPTS"]
    values = {"attempts": attempts, "last_error": error[:1000], "claimed_until": None}
    if gave_up:
        values["status"] = "failed"
    else:
        values["status"] = "queued"
        values["next_attempt_at"] = now + retry_delay(attempts, config["NOTIFY_RETRY_BASE_SECONDS"])
    db.session.execute(_still_ours(message.id, claimed_until).values(**values))
    db.session.commit()
    return values["status"]


def release(messages: list[Outgoing], claimed_until: datetime) -> None:
    """Hand unsent claims back at once instead of letting their lease run out."""
    for message in messages:
        db.session.execute(_still_ours(message.id, claimed_until).values(status="queued", claimed_until=None))
    db.session.commit()


def send_due(now: datetime | None = None, batch_size: int = 50) -> DeliveryReport:
    """Send every due message once. Safe to run at any frequency and several at a time.

    Each batch is claimed in its own short transaction, then sent outside any transaction; a
    batch is abandoned (and handed back) before its lease could lapse, so no other sender can
    take over a message this run is still sending."""
    config = current_app.config
    clock: Callable[[], datetime] = (lambda: now) if now is not None else now_utc
    lease = timedelta(seconds=config.get("NOTIFY_CLAIM_SECONDS", 600))
    report = DeliveryReport()
    mailer = mailer_for(config)
    try:
        while True:
            batch, claimed_until = claim_due(clock(), batch_size, lease)
            deadline = time.monotonic() + lease.total_seconds() * 0.8
            for index, message in enumerate(batch):
                if time.monotonic() > deadline:
                    release(batch[index:], claimed_until)
                    return report
                _deliver(mailer, message, claimed_until, clock(), report)
            if len(batch) < batch_size or getattr(mailer, "unreachable", None):
                return report
    finally:
        mailer.close()


def _deliver(mailer, message: Outgoing, claimed_until: datetime, now: datetime, report: DeliveryReport) -> None:
    try:
        mailer.send(compose(message))
    except PermanentRejection as error:
        status = record_failure(message, claimed_until, now, str(error), permanent=True)
    except Exception as error:  # noqa: BLE001 — any failure is recorded and retried later
        current_app.logger.warning("notification %s not delivered: %s", message.id, error)
        status = record_failure(message, claimed_until, now, f"{type(error).__name__}: {error}", permanent=False)
    else:
        record_sent(message, claimed_until, now)
        report.sent += 1
        return
    if status == "failed":
        report.failed += 1
    else:
        report.retrying += 1
