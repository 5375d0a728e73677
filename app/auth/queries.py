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


REGISTRY_PAGE_SIZE = 50


def registry_page(search: str = "", page: int = 1, per_page: int = REGISTRY_PAGE_SIZE):
    """One page of the registry (newest numbers first), filtered by number or holder, with the
    total count and each entry's linked account."""
    stmt = db.select(RegistryEntry)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            db.or_(db.func.lower(RegistryEntry.number).like(like), db.func.lower(RegistryEntry.holder_name).like(like))
        )
    total = db.session.scalar(db.select(db.func.count()).select_from(stmt.subquery())) or 0
    page = max(1, min(page, (total + per_page - 1) // per_page or 1))
    entries = list(
        db.session.scalars(
            stmt.order_by(RegistryEntry.issuer, RegistryEntry.number).offset((page - 1) * per_page).limit(per_page)
        )
    )
    return entries, total, page, linked_accounts(entries)


def linked_accounts(entries: list[RegistryEntry]) -> dict[int, User]:
    """The active account holding each entry's credential, where there is one."""
    numbers = {e.number for e in entries}
    if not numbers:
        return {}
    users = db.session.scalars(db.select(User).where(User.credential_number.in_(numbers), User.active.is_(True)))
    by_credential = {(u.credential_issuer, u.credential_number): u for u in users}
    return {e.id: by_credential[(e.issuer, e.number)] for e in entries if (e.issuer, e.number) in by_credential}
