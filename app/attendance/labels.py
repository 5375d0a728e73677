"""The names of figures, districts, kinds and statuses, in the request's language: the pages, the
exports and the statistics files all take them from here, never showing a code."""

from __future__ import annotations

from flask_babel import gettext as _

FIGURE_KEYS = ("registered", "attended", "no_show", "walk_ins", "present", "attendance_rate")


def figure_labels() -> dict[str, str]:
    return {
        "registered": _("Registered"),
        "attended": _("Attended (registered)"),
        "no_show": _("No-shows"),
        "walk_ins": _("Walk-ins"),
        "present": _("Present in all"),
        "attendance_rate": _("Attendance rate"),
        "no_show_rate": _("No-show rate"),
        "events": _("Events held"),
    }


def figures_definition() -> str:
    return _(
        "Registered: places of confirmed sign-ups. Attended: of those, the places checked in at least once. "
        "No-shows: registered places never checked in, once the event is over. Walk-ins: places of people who "
        "came without signing up. Present in all = attended + walk-ins. Attendance rate = attended ÷ registered."
    )


def district_labels() -> dict[str, str]:
    return {"liwan": _("Liwan"), "nanhai": _("Nanhai"), "other": _("Other"), "joint": _("Joint")}


def kind_labels() -> dict[str, str]:
    return {"exchange": _("Exchange"), "study_tour": _("Study tour"), "youth_camp": _("Youth camp")}


def status_labels() -> dict[str, str]:
    return {
        "confirmed": _("Confirmed"),
        "waitlisted": _("Waiting list"),
        "cancelled": _("Cancelled"),
        "walk_in": _("Walk-in"),
    }


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
