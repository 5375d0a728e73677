"""The holiday calendar: administrators' entries win over the `holidays` package on their dates, and
years the package does not know stay bookable with a notice."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from app.admin import holiday_services as services
from app.errors.domain import NotPermitted, ValidationFailed
from app.extensions import db
from app.homes.holiday_calendar import holidays_published, package_last_year, year_calendar
from app.homes.opening import is_makeup_workday, opening_interval, public_holiday_name
from app.models import AuditEntry, HolidayOverride
from app.timezones import to_local

ORDINARY_MONDAY = date(2026, 12, 7)
SATURDAY_2027 = date(2027, 1, 9)


def _closing(home, day: date) -> str | None:
    interval = opening_interval(home, day)
    return None if interval is None else f"{to_local(interval[1]):%H:%M}"


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", district=None)


def test_the_package_knows_2026_and_no_later():
    assert package_last_year() == 2026
    assert holidays_published(date(2026, 12, 31))
    assert not holidays_published(date(2027, 3, 1))


def test_a_holiday_entry_closes_an_ordinary_day_and_names_it(homes, admin):
    home = homes["liwan"]
    assert _closing(home, ORDINARY_MONDAY) == "21:00"
    services.set_holiday(admin, ORDINARY_MONDAY, "holiday", "荔南人才日", "Talent Day")
    assert _closing(home, ORDINARY_MONDAY) is None
    with force_locale("zh"):
        assert public_holiday_name(ORDINARY_MONDAY) == "荔南人才日"
    with force_locale("en"):
        assert public_holiday_name(ORDINARY_MONDAY) == "Talent Day"


def test_a_holiday_entered_without_a_name_is_called_a_public_holiday_in_each_language(homes, admin):
    """The form asks for a Chinese name; a row stored without one (kept from before that rule) still reads well."""
    from app.homes.holiday_calendar import forget_overrides, holiday_name

    db.session.add(HolidayOverride(day=ORDINARY_MONDAY, kind="holiday"))
    db.session.commit()
    forget_overrides()
    for page in ("zh", "en"):
        with force_locale(page):
            assert public_holiday_name(ORDINARY_MONDAY) == ("法定节假日" if page == "zh" else "Public holiday")
            # Asked in the other language (a mail to someone who reads it), still the catalog's words.
            assert holiday_name(ORDINARY_MONDAY, "en") == "Public holiday"
            assert holiday_name(ORDINARY_MONDAY, "zh") == "法定节假日"


def test_a_workday_entry_opens_a_weekend_day_with_weekday_hours(homes, admin):
    home = homes["liwan"]
    assert _closing(home, SATURDAY_2027) == "17:30"  # the weekend's hours
    assert not is_makeup_workday(SATURDAY_2027)
    services.set_holiday(admin, SATURDAY_2027, "workday")
    assert is_makeup_workday(SATURDAY_2027)
    assert _closing(home, SATURDAY_2027) == "21:00"  # Monday's hours


def test_a_workday_entry_opens_a_day_the_package_calls_a_holiday(homes, admin):
    new_year = date(2027, 1, 1)  # a Friday
    assert public_holiday_name(new_year) and _closing(homes["liwan"], new_year) is None
    services.set_holiday(admin, new_year, "workday")
    assert public_holiday_name(new_year) is None
    assert _closing(homes["liwan"], new_year) == "21:00"


def test_a_holiday_entry_wins_over_a_package_make_up_day(homes, admin):
    make_up_sunday = date(2026, 1, 4)
    assert is_makeup_workday(make_up_sunday)
    services.set_holiday(admin, make_up_sunday, "holiday", "元旦")
    assert not is_makeup_workday(make_up_sunday)
    assert _closing(homes["liwan"], make_up_sunday) is None


def test_entering_a_year_publishes_it(admin):
    assert not holidays_published(date(2027, 10, 1))
    services.set_holiday(admin, date(2027, 2, 6), "holiday", "春节", "Spring Festival")
    assert holidays_published(date(2027, 10, 1))
    assert not holidays_published(date(2028, 1, 5))


def test_a_second_entry_corrects_the_first_and_removing_gives_the_date_back(homes, admin):
    first = services.set_holiday(admin, ORDINARY_MONDAY, "holiday", "旧名")
    second = services.set_holiday(admin, ORDINARY_MONDAY, "holiday", "新名", "New name")
    assert first.id == second.id and db.session.scalar(db.select(db.func.count(HolidayOverride.id))) == 1
    with force_locale("zh"):
        assert public_holiday_name(ORDINARY_MONDAY) == "新名"
    services.remove_holiday(admin, second)
    assert public_holiday_name(ORDINARY_MONDAY) is None
    assert _closing(homes["liwan"], ORDINARY_MONDAY) == "21:00"
    actions = [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["holiday_added", "holiday_corrected", "holiday_removed"]
    entries = list(db.session.scalars(db.select(AuditEntry)))
    assert all(e.actor_id == admin.id and e.object_type == "holidayoverride" for e in entries)
    assert '"name_zh": "旧名"' in entries[1].detail and '"name_zh": "新名"' in entries[1].detail


@pytest.mark.parametrize(
    ("day", "kind", "name_zh", "field"),
    [
        (ORDINARY_MONDAY, "holiday", "", "name_zh"),
        (ORDINARY_MONDAY, "workday", "", "kind"),  # an ordinary Monday is a working day already
        (ORDINARY_MONDAY, "closed", "某日", "kind"),
        (date(1999, 10, 1), "holiday", "国庆节", "day"),
        (None, "holiday", "国庆节", "day"),
        (ORDINARY_MONDAY, "holiday", "两行\n名称", "name_zh"),
        (ORDINARY_MONDAY, "holiday", "长" * 61, "name_zh"),
    ],
)
def test_bad_entries_are_refused_by_field(admin, day, kind, name_zh, field):
    with pytest.raises(ValidationFailed) as refused:
        services.set_holiday(admin, day, kind, name_zh)
    assert field in refused.value.fields
    assert db.session.scalar(db.select(db.func.count(HolidayOverride.id))) == 0


def test_only_administrators_change_the_calendar(make_user):
    organiser = make_user(role="organiser", district="liwan")
    with pytest.raises(NotPermitted):
        services.set_holiday(organiser, ORDINARY_MONDAY, "holiday", "某日")


def test_the_year_lists_the_package_days_and_the_entries_with_their_source(admin):
    services.set_holiday(admin, date(2026, 10, 1), "holiday", "国庆节（更正）", "National Day (corrected)")
    services.set_holiday(admin, ORDINARY_MONDAY, "holiday", "荔南人才日")
    with force_locale("en"):
        days = {d.day: d for d in year_calendar(2026)}
    assert days[date(2026, 2, 17)].source == "package" and "Spring Festival" in days[date(2026, 2, 17)].name
    assert days[date(2026, 1, 4)].kind == "workday" and days[date(2026, 1, 4)].source == "package"
    assert days[date(2026, 10, 1)].source == "corrected" and days[date(2026, 10, 1)].name == "National Day (corrected)"
    assert days[ORDINARY_MONDAY].source == "override" and days[ORDINARY_MONDAY].name == "荔南人才日"
    assert list(days) == sorted(days)
