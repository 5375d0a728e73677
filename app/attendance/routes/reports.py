"""Pages: statistics for organisers (charts, tables, CSV) and a talent's own record."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.attendance import charts, exports, mine, stats
from app.attendance.forms import StatisticsForm, kind_labels
from app.attendance.routes.blueprint import bp
from app.timezones import local_today


def _statistics_filter(form: StatisticsForm) -> stats.StatsFilter:
    today = local_today()
    start = form.start.data or date(today.year, 1, 1)
    end = form.end.data or max(today, start)
    return stats.StatsFilter(start, end, form.district.data or None, form.kind.data or None)


def _district_labels() -> dict[str, str]:
    return {"liwan": _("Liwan"), "nanhai": _("Nanhai"), "joint": _("Joint")}


def _charts(figures: dict) -> list[tuple[str, str]]:
    """(title, SVG) pairs."""
    districts, kinds = _district_labels(), kind_labels()
    cross = figures["cross_district"]
    pair_label = {
        ("liwan", "nanhai"): _("Liwan talents in Nanhai"),
        ("nanhai", "liwan"): _("Nanhai talents in Liwan"),
    }
    crossing = [p for p in cross["pairs"] if p["cross"]]
    specs = [
        (_("Events held by month"), [(m, s["events"]) for m, s in figures["by_month"].items()], False),
        (
            _("Attendance rate by kind"),
            [(str(kinds[k]), s["attendance_rate"]) for k, s in figures["by_kind"].items()],
            True,
        ),
        (_("Room use per home"), [(districts[u["district"]], u["use_rate"]) for u in figures["room_use"]], True),
        (_("Cross-district bookings"), [(pair_label[(p["from"], p["to"])], p["bookings"]) for p in crossing], False),
        (
            _("Cross-district event places"),
            [(pair_label[(p["from"], p["to"])], p["registrations"]) for p in crossing]
            + [(_("%(d)s talents at joint events", d=districts[d]), n) for d, n in cross["joint"].items()],
            False,
        ),
    ]
    return [(title, charts.bar_chart(title, bars, percent)) for title, bars, percent in specs]


def _event_rows(figures: dict) -> list[tuple[str, dict]]:
    """The rows of the events table: all, by kind, by host, by month."""
    kinds = kind_labels()
    rows = [(_("All"), figures["summary"])]
    rows += [(str(kinds[k]), row) for k, row in figures["by_kind"].items()]
    hosts = {"liwan": _("Hosted by Liwan"), "nanhai": _("Hosted by Nanhai"), "joint": _("Joint events")}
    rows += [(hosts[h], row) for h, row in figures["by_host"].items()]
    return rows + list(figures["by_month"].items())


def _staff_statistics():
    if not current_user.is_staff:
        abort(403)
    form = StatisticsForm(request.args)
    if not form.validate():
        return form, None, None
    flt = _statistics_filter(form)
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
        charts=_charts(figures),
        event_rows=_event_rows(figures),
        districts=_district_labels(),
    )


@bp.get("/statistics.csv")
@login_required
def statistics_csv():
    form, flt, figures = _staff_statistics()
    if figures is None:
        abort(422)
    header, rows = stats.statistics_table(figures)
    return exports.csv_download(header, rows, f"statistics-{flt.start}-{flt.end}.csv")


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
