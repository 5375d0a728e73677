"""The mutual-recognition registry: importing its rows (from app.auth.registry_files), verifying the
pending talents it now covers, and turning talents whose credential expired back to pending."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from app import audit
from app.auth.credentials import expire_lapsed_credentials, verify_from_registry
from app.auth.registry_files import HEADER_EN, HEADER_ZH, header_columns
from app.extensions import db
from app.labels import code_for
from app.models import RegistryEntry, User
from app.text import text_problem
from app.timezones import now_utc

DATE_PATTERN = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    verified: int = 0
    expired: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.added + self.updated


def import_registry_csv(text: str, actor: User | None = None, now: datetime | None = None) -> ImportReport:
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) if any(c.strip() for c in row)]
    return import_registry(rows, actor, now)


def import_registry(rows: list[list[str]], actor: User | None = None, now: datetime | None = None) -> ImportReport:
    """Load rows under a Chinese or English header (`发证单位,编号,持有人,有效期至`); bad rows are
    reported by line, in the current language, and not stored. Afterwards pending talents the
    registry now covers are verified, and verified talents whose entry expired wait again."""
    now = now or now_utc()
    report = ImportReport()
    columns = header_columns(rows[0] if rows else [], HEADER_ZH, HEADER_EN)
    if columns is None:
        report.errors.append(
            _(
                "Line 1: the header must be %(zh)s or %(en)s.",
                zh=",".join(HEADER_ZH),
                en=",".join(HEADER_EN),
            )
        )
        return report
    existing = {(e.issuer, e.number): e for e in db.session.scalars(db.select(RegistryEntry))}
    for line_no, row in enumerate(rows[1:], start=2):
        parsed = _parse_row([row[i].strip() if i < len(row) else "" for i in columns])
        if isinstance(parsed, str):
            report.errors.append(_("Line %(line)s: %(problem)s", line=line_no, problem=parsed))
            continue
        _store(existing, report, *parsed)
    db.session.flush()
    report.verified = verify_pending_from_registry(now)
    report.expired = expire_lapsed_credentials(now)
    audit.record(
        actor,
        "registry_imported",
        added=report.added,
        updated=report.updated,
        verified=report.verified,
        expired=report.expired,
        skipped=len(report.errors),
    )
    return report


def _store(existing: dict, report: ImportReport, issuer: str, number: str, holder: str, valid_until) -> None:
    entry = existing.get((issuer, number))
    if entry is None:
        entry = RegistryEntry(issuer=issuer, number=number, holder_name=holder, valid_until=valid_until)
        db.session.add(entry)
        existing[(issuer, number)] = entry
        report.added += 1
    else:
        entry.holder_name, entry.valid_until = holder, valid_until
        report.updated += 1


def _parse_row(cells: list[str]) -> tuple[str, str, str, date | None] | str:
    raw_issuer, number, holder, raw_date = cells
    number = number.upper()
    issuer = code_for("issuer", raw_issuer)
    if issuer is None:
        return _("unknown issuer “%(issuer)s”.", issuer=raw_issuer)
    if not number:
        return _("the number is missing.")
    if text_problem(number) or text_problem(holder):
        return _("the number and the holder must each be one line of text without control characters.")
    valid_until = parse_registry_date(raw_date)
    if valid_until is False:
        return _("“%(value)s” is not a date (YYYY-MM-DD or YYYY/M/D).", value=raw_date)
    return issuer, number, holder, valid_until


def parse_registry_date(raw: str) -> date | None | bool:
    """A date written YYYY-MM-DD or YYYY/M/D; None when empty (no end date), False when unreadable."""
    if not raw:
        return None
    match = DATE_PATTERN.match(raw.split(" ")[0])
    if not match:
        return False
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return False


def verify_pending_from_registry(now: datetime) -> int:
    """Verify the pending talents the registry now covers (valid, under their own name)."""
    pending = list(db.session.scalars(db.select(User).where(User.talent_status == "pending")))
    count = sum(1 for user in pending if verify_from_registry(user, now))
    db.session.flush()
    return count
