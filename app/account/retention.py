"""Retention: children's details and emergency contacts are erased a while after their event."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.events.answers import erase_answers
from app.extensions import db
from app.models import Event, Participant, Registration
from app.timezones import now_utc

# A child's personal fields, as erased (the row stays, so counts stay).
ERASED_CHILD_FIELDS = dict.fromkeys(
    (
        "name",
        "birth_date",
        "guardian_relation",
        "emergency_contact",
        "emergency_contact_name",
        "emergency_contact_phone",
        "health_notes",
    )
)


def purge_personal_data(retention_days: int, now: datetime | None = None) -> int:
    """Erase participants' personal fields, and the answers to registration questions, for events
    that ended more than `retention_days` ago.

    Idempotent and safe to run from cron: rows already purged are skipped; counts stay."""
    now = now or now_utc()
    cutoff = now - timedelta(days=retention_days)
    ended = db.select(Registration.id).join(Event).where(Event.ends_at < cutoff)
    result = db.session.execute(
        db.update(Participant)
        .where(Participant.registration_id.in_(ended), Participant.purged_at.is_(None))
        .values(**ERASED_CHILD_FIELDS, purged_at=now)
        .execution_options(synchronize_session=False)
    )
    erase_answers(ended)
    return result.rowcount or 0
