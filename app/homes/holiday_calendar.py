"""The mainland holiday calendar: the `holidays` package's public holidays and make-up working days
(调休上班), with administrators' corrections (`HolidayOverride`) winning on their dates.

The rule of what a date is lives here; `app.homes.opening` turns it into a home's opening hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays
from flask import g, has_app_context
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from holidays.countries.china import ChinaStaticHolidays
from sqlalchemy import Date, bindparam

from app.extensions import db
from app.models import HolidayOverride


@lru_cache(maxsize=64)
def china_holidays(year: int, language: str = "zh_CN") -> holidays.HolidayBase:
    return holidays.China(years=year, language=language)


def _package(year: int, language: str) -> holidays.HolidayBase:
    """The package's calendar of a year, named in the page's language ("zh" or "en")."""
    return china_holidays(year, "en_US" if language == "en" else "zh_CN")


def package_last_year() -> int:
    """The last year whose State Council notice (moved days off, make-up working days) the package holds."""
    return max(ChinaStaticHolidays.special_public_holidays)


def page_language() -> str:
    return "en" if str(get_locale() or "zh") == "en" else "zh"


def overrides_of(year: int) -> dict[date, HolidayOverride]:
    """Administrators' entries for a year, read once per request or command (changes forget them)."""
    cache = g.setdefault("holiday_overrides", {}) if has_app_context() else {}
    if year not in cache:
        found = db.session.scalars(_OF_A_YEAR, {"first": date(year, 1, 1), "last": date(year, 12, 31)})
        cache[year] = {entry.day: entry for entry in found}
    return cache[year]


_OF_A_YEAR = db.select(HolidayOverride).where(
    HolidayOverride.day >= bindparam("first", type_=Date()), HolidayOverride.day <= bindparam("last", type_=Date())
)


DAYS_READ = "holiday_override_days"


def override_on(day: date) -> HolidayOverride | None:
    """Administrators' entry for a date, if any: as a statement of this request read it for that
    date (`note_override_read`), or from the year's entries."""
    read = g.get(DAYS_READ) if has_app_context() else None
    if read is not None and day in read:
        return read[day]
    return overrides_of(day.year).get(day)


def note_override_read(day: date, entry: HolidayOverride | None) -> None:
    """Keep the entry (or its absence) a statement read for one date, so that the date's rules ask
    no more (a booking reads its day's entry with its room)."""
    if has_app_context():
        g.setdefault(DAYS_READ, {})[day] = entry


def forget_overrides() -> None:
    if has_app_context():
        g.pop("holiday_overrides", None)
        g.pop(DAYS_READ, None)


def holiday_name(day: date, language: str | None = None) -> str | None:
    """The public holiday (incl. days off moved by 调休) on that date in the page's language, or None."""
    language = language or page_language()
    override = override_on(day)
    if override is not None:
        return (override.name(language) or _fallback_name(language)) if override.kind == "holiday" else None
    return _names(day.year, language).get(day)


@lru_cache(maxsize=64)
def _names(year: int, language: str) -> dict[date, str]:
    """The package's holidays of a year as a plain mapping (looked up on every opening-hours check)."""
    return dict(_package(year, language))


def _fallback_name(language: str) -> str:
    """A holiday administrators entered without a name, in `language` (the catalog's words)."""
    with force_locale(language):
        return _("Public holiday")


def is_workday_override(day: date) -> bool | None:
    """True or False where administrators declared the date a working day or a holiday; None where they did not."""
    override = override_on(day)
    return None if override is None else override.kind == "workday"


def is_makeup_workday(day: date) -> bool:
    """A Saturday or Sunday worked in exchange for a holiday (调休上班)."""
    if day.weekday() < 5:
        return False
    declared = is_workday_override(day)
    if declared is not None:
        return declared
    return day in china_holidays(day.year).weekend_workdays


def holidays_published(day: date) -> bool:
    """Whether the year's public holidays are known: the package holds its notice, or administrators
    have entered it. Later dates stay bookable; pages show a notice (本年度法定节假日尚未公布)."""
    if not isinstance(day, date):
        return True
    return day.year <= package_last_year() or bool(overrides_of(day.year))


@dataclass(frozen=True)
class CalendarDay:
    day: date
    kind: str  # "holiday" or "workday"
    name: str
    source: str  # "package", "override" (a date the package does not name) or "corrected"
    override: HolidayOverride | None = None
    package_kind: str | None = None


def year_calendar(year: int, language: str | None = None) -> list[CalendarDay]:
    """A year's public holidays and make-up working days, the package's and administrators', by date."""
    language = language or page_language()
    package = _package(year, language)
    known: dict[date, tuple[str, str]] = {d: ("holiday", str(name)) for d, name in package.items()}
    known.update({d: ("workday", "") for d in package.weekend_workdays if d.year == year})
    days = {d: CalendarDay(d, kind, name, "package", package_kind=kind) for d, (kind, name) in known.items()}
    for d, entry in overrides_of(year).items():
        package_kind = known.get(d, (None,))[0]
        name = entry.name(language) or (_fallback_name(language) if entry.kind == "holiday" else "")
        source = "corrected" if package_kind else "override"
        days[d] = CalendarDay(d, entry.kind, name, source, entry, package_kind)
    return [days[d] for d in sorted(days) if d.year == year]
