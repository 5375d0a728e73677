"""The statistics report as tables in the request's language: the page shows them under its charts,
and the CSV and XLSX files hold the same tables (no codes, rates as fractions of 1)."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from app.attendance.exports import safe_cell
from app.attendance.labels import district_labels, figure_labels, kind_labels, percent
from app.attendance.sheets import Table, workbook_bytes
from app.attendance.stats import StatsFilter
from app.web import local_name

EVENT_KEYS = ("events", "registered", "attended", "no_show", "walk_ins", "present", "attendance_rate", "no_show_rate")
DISTRICT_KEYS = ("registered", "attended", "no_show", "walk_ins", "present", "attendance_rate")


def report_title(flt: StatsFilter) -> str:
    parts = [_("Statistics"), _("From %(start)s to %(end)s", start=flt.start, end=flt.end)]
    if flt.district:
        parts.append(district_labels()[flt.district])
    if flt.kind:
        parts.append(kind_labels()[flt.kind])
    return " · ".join(parts)


def _row(label: str, figures: dict, keys) -> list:
    return [label, *(figures[k] for k in keys)]


def _breakdown(name: str, heading: str, rows: list[list], stats: dict, title: str) -> Table:
    labels = figure_labels()
    header = [heading, *(labels[k] for k in EVENT_KEYS)]
    return Table(name, title, header, rows, _row(_("All"), stats["summary"], EVENT_KEYS), {7, 8})


def _months(stats: dict, title: str) -> Table:
    rows = [_row(m, s, EVENT_KEYS) for m, s in stats["by_month"].items()]
    return _breakdown(_("Trend by month"), _("Month"), rows, stats, title)


def _kinds(stats: dict, title: str) -> Table:
    kinds = kind_labels()
    rows = [_row(kinds[k], s, EVENT_KEYS) for k, s in stats["by_kind"].items()]
    return _breakdown(_("By kind"), _("Kind"), rows, stats, title)


def _hosts(stats: dict, title: str) -> Table:
    hosts = {"liwan": _("Hosted by Liwan"), "nanhai": _("Hosted by Nanhai"), "joint": _("Joint events")}
    rows = [_row(hosts[h], s, EVENT_KEYS) for h, s in stats["by_host"].items()]
    return _breakdown(_("By host"), _("Host"), rows, stats, title)


def _districts(stats: dict, title: str) -> Table:
    labels, names = figure_labels(), district_labels()
    rows = [_row(names[d], f, DISTRICT_KEYS) for d, f in stats["by_district"].items()]
    header = [_("Talents' district"), *(labels[k] for k in DISTRICT_KEYS)]
    return Table(_("By district"), title, header, rows, _row(_("Total"), stats["summary"], DISTRICT_KEYS), {6})


def _rooms(stats: dict, title: str) -> Table:
    keys = ("rooms", "open_hours", "open_room_hours", "booked_hours", "bookings", "use_rate")
    rows = [[local_name(u["home"]), *(u[k] for k in keys)] for u in stats["room_use"]]
    header = [_("Home"), _("Rooms"), _("Open hours"), _("Open room-hours"), _("Booked hours"), _("Bookings"), _("Use")]
    sums = [round(sum(r[n] for r in rows), 2) for n in range(1, 6)]
    totals = [_("Total"), *sums, round(sums[3] / sums[2], 3) if sums[2] else None]
    return Table(_("Room use per home"), title, header, rows, totals, {6})


def _cross(stats: dict, title: str) -> Table:
    names, cross = district_labels(), stats["cross_district"]
    rows = [
        [names[p["from"]], names[p["to"]], p["bookings"], p["booked_hours"], p["registrations"]] for p in cross["pairs"]
    ]
    rows += [[names[d], _("Joint events"), None, None, n] for d, n in cross["joint"].items()]
    header = [_("Talents of"), _("Using"), _("Bookings"), _("Booked hours"), _("Event places")]
    totals = [_("Total"), None, *(round(sum(r[n] or 0 for r in rows), 2) for n in (2, 3, 4))]
    return Table(_("Cross-district use"), title, header, rows, totals)


def _shares(stats: dict, title: str) -> Table:
    names = district_labels()
    rows = [
        [names[place], s["bookings"], s["registrations"]] for place, s in stats["cross_district"]["cross_share"].items()
    ]
    header = [_("Home and events of"), _("Bookings by the other district"), _("Event places by the other district")]
    return Table(_("Cross-district shares"), title, header, rows, None, {1, 2})


BUILDERS = {
    "months": _months,
    "kinds": _kinds,
    "hosts": _hosts,
    "districts": _districts,
    "rooms": _rooms,
    "cross": _cross,
    "shares": _shares,
}


def report_tables(stats: dict, flt: StatsFilter) -> dict[str, Table]:
    title = report_title(flt)
    return {key: build(stats, title) for key, build in BUILDERS.items()}


def _csv_value(value, is_rate: bool):
    if value is None:
        return ""
    return percent(value) if is_rate else safe_cell(value)


def report_csv(tables: list[Table]) -> bytes:
    """Each table under its name, a blank line between; UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(tables[0].title)] if tables else [])
    for table in tables:
        writer.writerow([])
        writer.writerow([safe_cell(table.name)])
        writer.writerow([safe_cell(h) for h in table.header])
        for row in [*table.rows, *([table.totals] if table.totals else [])]:
            writer.writerow([_csv_value(v, n in table.percent_columns) for n, v in enumerate(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(tables: list[Table]) -> bytes:
    return workbook_bytes(tables)
