"""Administrators correcting the holiday calendar: one date at a time, or a year from a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app import audit
from app.auth.registry import parse_registry_date
from app.auth.registry_files import header_columns
from app.errors.domain import NotPermitted, ValidationFailed
from app.extensions import db
from app.homes.holiday_calendar import china_holidays, forget_overrides, overrides_of
from app.models import HolidayOverride, User
from app.models.holiday import HOLIDAY_KINDS
from app.text import text_problem
from app.timezones import MAX_YEAR, MIN_YEAR

HEADER_ZH = ("日期", "类型", "中文名称", "英文名称")
HEADER_EN = ("date", "kind", "name_zh", "name_en")
KIND_WORDS = {
    "holiday": ("holiday", "放假", "休", "假", "节假日", "法定节假日"),
    "workday": ("workday", "上班", "班", "调休", "调休上班", "工作日"),
}


def require_admin(user: User | None) -> None:
    if user is not None and not user.is_admin:
        raise NotPermitted(_("Only administrators may change the holiday calendar."))


def clean_entry(day, kind: str, name_zh: str, name_en: str) -> dict:
    """One date's entry checked field by field: a supported date, a kind, a Chinese name for a holiday
    (names are one line, up to 60 characters); a working day must stand where the package sees a day off."""
    errors = {}
    name_zh, name_en = (name_zh or "").strip(), (name_en or "").strip()
    if not isinstance(day, date) or not MIN_YEAR <= day.year <= MAX_YEAR:
        errors["day"] = _("Choose a date between %(low)s and %(high)s.", low=MIN_YEAR, high=MAX_YEAR)
    if kind not in HOLIDAY_KINDS:
        errors["kind"] = _("Choose a public holiday or a working day.")
    if kind == "holiday" and not name_zh:
        errors["name_zh"] = _("Enter the holiday's Chinese name.")
    for key, value in (("name_zh", name_zh), ("name_en", name_en)):
        problem = text_problem(value) or (_("Up to 60 characters.") if len(value) > 60 else None)
        if problem:
            errors.setdefault(key, problem)
    if kind == "workday" and "day" not in errors and not _package_day_off(day):
        errors["kind"] = _("That date is a working day already.")
    if errors:
        raise ValidationFailed(errors)
    return {"day": day, "kind": kind, "name_zh": name_zh, "name_en": name_en if kind == "holiday" else ""}


def _package_day_off(day: date) -> bool:
    calendar = china_holidays(day.year)
    return day in calendar or (day.weekday() >= 5 and day not in calendar.weekend_workdays)


def set_holiday(admin: User, day, kind: str, name_zh: str = "", name_en: str = "") -> HolidayOverride:
    """Declare a date a public holiday or a working day; an existing entry for the date is corrected."""
    require_admin(admin)
    cleaned = clean_entry(day, kind, name_zh, name_en)
    entry = db.session.scalar(db.select(HolidayOverride).where(HolidayOverride.day == cleaned["day"]))
    before = _fields(entry) if entry else None
    if entry is None:
        entry = HolidayOverride(created_by_id=admin.id, **cleaned)
        db.session.add(entry)
    else:
        for key, value in cleaned.items():
            setattr(entry, key, value)
    db.session.flush()
    forget_overrides()
    audit.record(admin, "holiday_corrected" if before else "holiday_added", entry, before=before, after=_fields(entry))
    return entry


def remove_holiday(admin: User, entry: HolidayOverride) -> None:
    """Remove an administrators' entry: the package decides that date again."""
    require_admin(admin)
    audit.record(admin, "holiday_removed", entry, before=_fields(entry))
    db.session.delete(entry)
    db.session.flush()
    forget_overrides()


def _fields(entry: HolidayOverride) -> dict:
    return {"day": entry.day.isoformat(), "kind": entry.kind, "name_zh": entry.name_zh, "name_en": entry.name_en}


@dataclass
class HolidayImport:
    stored: dict[int, int] = field(default_factory=dict)  # year -> entries stored
    replaced: dict[int, int] = field(default_factory=dict)  # year -> entries it replaced
    errors: list[str] = field(default_factory=list)


def import_holidays(rows: list[list[str]], actor: User | None = None) -> HolidayImport:
    """Replace the entries of each year the file names with the file's lines (日期,类型,中文名称,英文名称
    or date,kind,name_zh,name_en). A file with any bad line stores nothing: each is reported by line."""
    require_admin(actor)
    report = HolidayImport()
    columns = header_columns(rows[0] if rows else [], HEADER_ZH, HEADER_EN)
    if columns is None:
        report.errors.append(
            _("Line 1: the header must be %(zh)s or %(en)s.", zh=",".join(HEADER_ZH), en=",".join(HEADER_EN))
        )
        return report
    entries: dict[date, dict] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        cells = [row[i].strip() if i < len(row) else "" for i in columns]
        problem = _parse_line(cells, entries)
        if problem:
            report.errors.append(_("Line %(line)s: %(problem)s", line=line_no, problem=problem))
    if not entries and not report.errors:
        report.errors.append(_("The file has no lines below its header."))
    if report.errors:
        return report
    for year in sorted({day.year for day in entries}):
        _replace_year(actor, year, [e for d, e in sorted(entries.items()) if d.year == year], report)
    return report


def _parse_line(cells: list[str], entries: dict[date, dict]) -> str | None:
    raw_day, raw_kind, name_zh, name_en = cells
    day = parse_registry_date(raw_day)
    if not day:
        return _("“%(value)s” is not a date (YYYY-MM-DD or YYYY/M/D).", value=raw_day)
    kind = next((k for k, words in KIND_WORDS.items() if raw_kind.casefold() in words), None)
    if kind is None:
        return _("“%(value)s” is not a kind: write holiday (放假) or workday (上班).", value=raw_kind)
    if day in entries:
        return _("%(day)s is listed twice.", day=day.isoformat())
    try:
        entries[day] = clean_entry(day, kind, name_zh, name_en)
    except ValidationFailed as error:
        return " ".join(error.fields.values())
    return None


def _replace_year(actor: User | None, year: int, entries: list[dict], report: HolidayImport) -> None:
    old = list(overrides_of(year).values())
    for entry in old:
        db.session.delete(entry)
    db.session.flush()
    for cleaned in entries:
        db.session.add(HolidayOverride(created_by_id=getattr(actor, "id", None), **cleaned))
    db.session.flush()
    forget_overrides()
    report.stored[year], report.replaced[year] = len(entries), len(old)
    audit.record(actor, "holidays_imported", year=year, stored=len(entries), replaced=len(old))
