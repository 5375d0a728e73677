"""The mutual-recognition registry: CSV import, and verifying talents it now covers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from app.auth.credentials import verify_from_registry
from app.extensions import db
from app.models import RegistryEntry, User
from app.models.user import ISSUERS
from app.text import text_problem
from app.timezones import now_utc

COLUMNS = ("issuer", "number", "holder_name", "valid_until")


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    verified: int = 0
    errors: list[str] = field(default_factory=list)


def import_registry_csv(text: str, now: datetime | None = None) -> ImportReport:
    """Load `issuer,number,holder_name,valid_until` rows; bad rows are reported, not stored.

    Pending talents whose credential is now valid in the registry become verified.
    """
    now = now or now_utc()
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames[:4]] != list(COLUMNS):
        report.errors.append("header must be: " + ",".join(COLUMNS))
        return report
    existing = {(e.issuer, e.number): e for e in db.session.scalars(db.select(RegistryEntry))}
    for line_no, row in enumerate(reader, start=2):
        parsed = _parse_row(row)
        if isinstance(parsed, str):
            report.errors.append(f"line {line_no}: {parsed}")
            continue
        issuer, number, holder, valid_until = parsed
        entry = existing.get((issuer, number))
        if entry is None:
            entry = RegistryEntry(issuer=issuer, number=number, holder_name=holder, valid_until=valid_until)
            db.session.add(entry)
            existing[(issuer, number)] = entry
            report.added += 1
        else:
            entry.holder_name, entry.valid_until = holder, valid_until
            report.updated += 1
    db.session.flush()
    report.verified = verify_pending_from_registry(now)
    return report


def _parse_row(row: dict) -> tuple[str, str, str, date | None] | str:
    issuer = (row.get("issuer") or "").strip()
    number = (row.get("number") or "").strip().upper()
    holder = (row.get("holder_name") or "").strip()
    raw_date = (row.get("valid_until") or "").strip()
    if issuer not in ISSUERS:
        return f"unknown issuer {issuer!r}"
    if not number:
        return "number missing"
    if text_problem(number) or text_problem(holder):
        return "number and holder_name must be one line of text without control characters"
    try:
        valid_until = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        return f"valid_until {raw_date!r} is not a date (YYYY-MM-DD)"
    return issuer, number, holder, valid_until


def verify_pending_from_registry(now: datetime) -> int:
    """Verify the pending talents the registry now covers (valid, under their own name)."""
    pending = list(db.session.scalars(db.select(User).where(User.talent_status == "pending")))
    count = sum(1 for user in pending if verify_from_registry(user, now))
    db.session.flush()
    return count
