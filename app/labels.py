"""Display names for every stored code, in the page's language: one place for templates, pages and exports.

Templates read them through the `label` filter: `{{ user.talent_status | label("talent_status") }}`.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

LABELS = {
    "issuer": {
        "liwan_yingcai": _l("Liwan Yingcai card"),
        "nanhai_kunpeng": _l("Nanhai Kunpeng talent code"),
        "foshan_youyue": _l("Foshan Youyue card"),
    },
    "district": {"liwan": _l("Liwan"), "nanhai": _l("Nanhai"), "other": _l("Other")},
    "host": {"liwan": _l("Liwan"), "nanhai": _l("Nanhai"), "joint": _l("Liwan and Nanhai")},
    "role": {"talent": _l("Talent"), "organiser": _l("Organiser"), "admin": _l("Administrator")},
    "talent_status": {
        "none": _l("No credential"),
        "pending": _l("Waiting for review"),
        "verified": _l("Verified"),
        "rejected": _l("Rejected"),
    },
    "kind": {"exchange": _l("Exchange"), "study_tour": _l("Study tour"), "youth_camp": _l("Youth camp")},
    "theme": {
        "red_culture": _l("Red culture"),
        "traditional_culture": _l("Traditional culture"),
        "industry": _l("Industry development"),
        "rural_revitalisation": _l("Rural revitalisation"),
        "party_services": _l("Party–mass services"),
    },
    "purpose": {
        "seminar": _l("Seminar"),
        "training": _l("Training"),
        "networking": _l("Networking"),
        "other": _l("Other"),
    },
    "booking_status": {
        "pending": _l("Waiting for approval"),
        "confirmed": _l("Confirmed"),
        "rejected": _l("Declined"),
        "cancelled": _l("Cancelled"),
        "no_show": _l("No-show"),
    },
    "event_status": {
        "draft": _l("Draft"),
        "published": _l("Open"),
        "cancelled": _l("Cancelled"),
        "completed": _l("Completed"),
    },
    "registration_status": {
        "confirmed": _l("Confirmed"),
        "waitlisted": _l("Waiting list"),
        "cancelled": _l("Cancelled"),
        "walk_in": _l("Walk-in"),
    },
}


def label(value: str | None, kind: str) -> str:
    """The display name of `value` (a code of `kind`) in the current language; '' for no value."""
    if value is None or value == "":
        return ""
    name = LABELS[kind].get(value)
    return str(name) if name is not None else str(value)


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, display name) pairs for a select field, in their stored order."""
    return [(code, str(name)) for code, name in LABELS[kind].items()]


def code_for(kind: str, text: str, languages: tuple[str, ...] = ("zh", "en")) -> str | None:
    """The code a person wrote by its code or its display name in either language (case-insensitive)."""
    wanted = (text or "").strip().casefold()
    for code in LABELS[kind]:
        if code.casefold() == wanted:
            return code
    for language in languages:
        with force_locale(language):
            for code, name in LABELS[kind].items():
                if str(name).casefold() == wanted:
                    return code
    return None


def init_labels(app: Flask) -> None:
    app.add_template_filter(label, "label")
