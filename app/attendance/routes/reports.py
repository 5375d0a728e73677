"""Pages: statistics for organisers (charts, tables, CSV and XLSX) and a talent's own record."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.attendance import charts, exports, mine, report, stats
from app.attendance.forms import StatisticsForm
from app.attendance.labels import district_labels, figure_labels, kind_labels
from app.attendance.routes.blueprint import bp
from app.timezones import local_today
from app.web import local_name


def _statistics_filter(form: StatisticsForm) -> stats.StatsFilter:
    today = local_today()
    start = form.start.data or date(today.year, 1, 1)
    end = form.end.data or max(today, start)
    return stats.StatsFilter(start, end, form.district.data or None, form.kind.data or None)


def _counts(figures: dict) -> list[float | None]:
    return [figures["registered"], figures["attended"], figures["walk_ins"]]


def _charts(figures: dict) -> dict[str, charts.Chart]:
    """A chart for each table of the report that has one."""
    labels, districts, kinds = figure_labels(), district_labels(), kind_labels()
    series = [labels["registered"], labels["attended"], labels["walk_ins"]]
    cross = figures["cross_district"]
    pair_label = {
        ("liwan", "nanhai"): _("Liwan talents in Nanhai"),
        ("nanhai", "liwan"): _("Nanhai talents in Liwan"),
    }
    crossing = [
        (pair_label[(p["from"], p["to"])], [p["bookings"], p["registrations"]]) for p in cross["pairs"] if p["cross"]
    ]
    joint = [(_("%(d)s talents at joint events", d=districts[d]), [None, n]) for d, n in cross["joint"].items()]
    return {
        "months": charts.Chart(_("Trend by month"), series, [(m, _counts(s)) for m, s in figures["by_month"].items()]),
        "kinds": charts.Chart(_("By kind"), series, [(kinds[k], _counts(s)) for k, s in figures["by_kind"].items()]),
        "districts": charts.Chart(
            _("By district"), series, [(districts[d], _counts(s)) for d, s in figures["by_district"].items()]
        ),
        "rooms": charts.Chart(
            _("Room use per home"),
            [_("Use")],
            [(local_name(u["home"]), [u["use_rate"]]) for u in figures["room_use"]],
            percent=True,
        ),
        "cross": charts.Chart(_("Cross-district use"), [_("Bookings"), _("Event places")], crossing + joint),
    }


def _staff_statistics():
    if not current_user.is_staff:
        abort(403)
    form = StatisticsForm(request.args)
    if not form.validate():
        return form, None, None
    flt = _statistics_filter(form)
    for field, day in ((form.start, flt.start), (form.end, flt.end)):  # the pickers show the range in force
        if not field.data:
            field.data, field.raw_data = day, None
    return form, flt, stats.statistics(flt)


@bp.get("/statistics")
@login_required
def statistics():
    form, flt, figures = _staff_statistics()
    if figures is None:
        return render_template("attendance/statistics.html", form=form, figures=None), 422
    return render_template(
        "attendance/statistics.html",
        form=form,
        flt=flt,
        figures=figures,
        charts={key: charts.render(chart) for key, chart in _charts(figures).items()},
        tables=report.report_tables(figures, flt),
    )


def _statistics_file(fmt: str):
    form, flt, figures = _staff_statistics()
    if figures is None:
        abort(422)
    tables = list(report.report_tables(figures, flt).values())
    filename = f"statistics-{flt.start}-{flt.end}.{fmt}"
    if fmt == "csv":
        return exports.download(report.report_csv(tables), filename, "text/csv; charset=utf-8")
    return exports.download(report.report_xlsx(tables), filename, exports.XLSX_TYPE)


@bp.get("/statistics.csv")
@login_required
def statistics_csv():
    return _statistics_file("csv")


@bp.get("/statistics.xlsx")
@login_required
def statistics_xlsx():
    return _statistics_file("xlsx")


@bp.get("/me/record")
@login_required
def my_record():
    return render_template(
        "attendance/my_record.html",
        attended=mine.attended_events(current_user),
        bookings=mine.used_bookings(current_user),
    )


@bp.get("/me/record.csv")
@login_required
def my_record_csv():
    header, rows = mine.record_table(current_user)
    return exports.csv_download(header, rows, "my-record.csv")
