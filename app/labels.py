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
    # What the audit log records (app/audit.py): each action, and the kind of object it changed.
    "audit_action": {
        "account_deleted": _l("Account deleted"),
        "attendance.check_in": _l("Checked in"),
        "attendance.close": _l("Attendance closed"),
        "attendance.export": _l("Attendance exported"),
        "attendance.publish": _l("Attendance record published"),
        "attendance.undo": _l("Check-in undone"),
        "attendance.walk_in": _l("Walk-in added"),
        "booking.approve": _l("Booking approved"),
        "booking.reject": _l("Booking declined"),
        "booking.cancel": _l("Booking cancelled"),
        "booking.check_in": _l("Booking checked in"),
        "booking.lift_suspension": _l("Booking suspension lifted"),
        "booking.suspend": _l("Bookings suspended"),
        "closure_added": _l("Closure added"),
        "closure_deleted": _l("Closure removed"),
        "credential_expired": _l("Credential expired"),
        "credential_rejected": _l("Credential rejected"),
        "credential_verified": _l("Credential verified"),
        "event.cancel": _l("Event cancelled"),
        "event.create": _l("Event created"),
        "event.publish": _l("Event published"),
        "event.update": _l("Event changed"),
        "holiday_added": _l("Holiday calendar: date added"),
        "holiday_corrected": _l("Holiday calendar: date corrected"),
        "holiday_removed": _l("Holiday calendar: date removed"),
        "holidays_imported": _l("Holiday calendar imported"),
        "notification_retried": _l("Mail sent again"),
        "opening_hours_changed": _l("Opening hours changed"),
        "registration.cancel": _l("Sign-up cancelled"),
        "registration.promote": _l("Moved up from the waiting list"),
        "registry_imported": _l("Registry imported"),
        "role_changed": _l("Role changed"),
        "room_created": _l("Room added"),
        "room_updated": _l("Room changed"),
    },
    "audit_object": {
        "booking": _l("Booking"),
        "checkin": _l("Check-in"),
        "closure": _l("Closure"),
        "event": _l("Event"),
        "holidayoverride": _l("Holiday calendar date"),
        "home": _l("Home"),
        "notification": _l("Mail"),
        "registration": _l("Sign-up"),
        "room": _l("Room"),
        "user": _l("Account"),
    },
}


def label(value: str | None, kind: str) -> str:
    """The display name of `value` (a code of `kind`) in the current language; '' for no value."""
    if value is None or value == "":
        return ""
    name = LABELS[kind].get(value)
    return str(name) if name is not None else str(value)


# A booking's status tag: green when confirmed, amber while it waits, red once it no longer holds.
BOOKING_TONES = {"confirmed": "ok", "pending": "warn"}


def booking_tone(status: str) -> str:
    return BOOKING_TONES.get(status, "bad")


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
    app.add_template_global(booking_tone)
