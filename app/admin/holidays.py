"""Pages: the holiday calendar of a year (the package's days and administrators' corrections), for administrators."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.admin import holiday_services
from app.admin.routes import bp
from app.auth.routes import apply_errors
from app.errors.domain import DomainError
from app.extensions import db
from app.fields import OneLine, SupportedDateField
from app.homes.holiday_calendar import holidays_published, package_last_year, year_calendar
from app.models import HolidayOverride
from app.timezones import MAX_YEAR, MIN_YEAR, local_today, parse_date
from app.unit_of_work import attempt, savepoint


class HolidayForm(FlaskForm):
    day = SupportedDateField(_l("Date"), validators=[DataRequired()])
    kind = SelectField(
        _l("Kind"),
        choices=[("holiday", _l("Public holiday (closed)")), ("workday", _l("Make-up working day (open)"))],
    )
    name_zh = StringField(
        _l("Name in Chinese"),
        validators=[Optional(), Length(max=60), OneLine()],
        description=_l("Needed for a public holiday."),
    )
    name_en = StringField(
        _l("Name in English"),
        validators=[Optional(), Length(max=60), OneLine()],
        description=_l("Shown on English pages; left empty, the Chinese name is shown."),
    )


def _require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


def _year() -> int:
    raw = request.args.get("year", "")
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return local_today().year


@bp.route("/holidays", methods=["GET", "POST"])
@login_required
def holidays():
    _require_admin()
    year = _year()
    form = HolidayForm()
    if request.method == "GET":
        _prefill(form, year)
    elif form.validate_on_submit():
        try:
            with savepoint():
                entry = holiday_services.set_holiday(
                    current_user, form.day.data, form.kind.data, form.name_zh.data, form.name_en.data
                )
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(_("Saved: %(day)s.", day=entry.day.isoformat()), "success")
            return redirect(url_for("admin.holidays", year=entry.day.year))
    return render_template(
        "admin/holidays.html",
        form=form,
        year=year,
        days=year_calendar(year),
        published=holidays_published(date(year, 1, 1)),
        package_last_year=package_last_year(),
    )


def _prefill(form: HolidayForm, year: int) -> None:
    """A row's "correct" link fills the form with that date's entry."""
    try:
        day = parse_date(request.args.get("date", ""))
    except ValueError:
        return
    form.day.data = day
    zh, en = (next((d for d in year_calendar(day.year, lang) if d.day == day), None) for lang in ("zh", "en"))
    if zh is None:
        return
    form.kind.data = zh.kind
    if zh.override is not None:
        form.name_zh.data, form.name_en.data = zh.override.name_zh, zh.override.name_en
    else:
        form.name_zh.data, form.name_en.data = zh.name, en.name


@bp.post("/holidays/<int:entry_id>/delete")
@login_required
def remove_holiday(entry_id: int):
    _require_admin()
    entry = db.get_or_404(HolidayOverride, entry_id)
    year = entry.day.year
    removed = _("Removed: the built-in calendar decides that date again.")
    attempt(lambda: holiday_services.remove_holiday(current_user, entry), removed)
    return redirect(url_for("admin.holidays", year=year))
