"""Read models: the registry's entry for a credential, and the credentials waiting for review."""

from __future__ import annotations

from app.extensions import db
from app.models import RegistryEntry, User


def registry_entry(issuer: str | None, number: str | None) -> RegistryEntry | None:
    return db.session.scalar(
        db.select(RegistryEntry).where(RegistryEntry.issuer == issuer, RegistryEntry.number == number)
    )


def pending_talents() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).where(User.talent_status == "pending", User.active.is_(True)).order_by(User.created_at)
        )
    )


def registry_entries_for(talents: list[User]) -> dict[int, RegistryEntry]:
    """The registry's entry for each talent's credential, where it has one (for the review list)."""
    numbers = {t.credential_number for t in talents if t.credential_number}
    if not numbers:
        return {}
    entries = {
        (e.issuer, e.number): e
        for e in db.session.scalars(db.select(RegistryEntry).where(RegistryEntry.number.in_(numbers)))
    }
    found = {t.id: entries.get((t.credential_issuer, t.credential_number)) for t in talents}
    return {user_id: entry for user_id, entry in found.items() if entry is not None}
