"""Blueprints, template filters and response headers."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import get_locale

from app.timezones import to_local

CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def format_local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(value).strftime(fmt) if value else ""


def format_weekday(value: date | datetime) -> str:
    names_zh = "一二三四五六日"
    names_en = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    if isinstance(value, datetime):
        value = to_local(value)
    if str(get_locale()) == "en":
        return names_en[value.weekday()]
    return "周" + names_zh[value.weekday()]


def local_name(value) -> str:
    """A home's or room's name in the page language (the English name where there is one)."""
    english = getattr(value, "name_en", "")
    return english if english and str(get_locale()) == "en" else value.name


def register_web(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.errors import init_errors, insecure_cookie_message
    from app.extensions import csrf
    from app.fields import form_query
    from app.homes.holiday_calendar import holidays_published
    from app.homes.routes import bp as homes_bp
    from app.labels import init_labels
    from app.main.routes import bp as main_bp
    from app.models.event import KINDS
    from app.models.user import DISTRICTS

    init_errors(app)
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(homes_bp)
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    for module in _feature_blueprints():
        app.register_blueprint(module.bp)

    @app.context_processor
    def _navigation():
        return {"nav_links": lambda: nav_links(app), "manage_links": lambda: manage_links(app)}

    app.add_template_filter(format_local, "local")
    app.add_template_filter(format_weekday, "weekday")
    app.add_template_filter(local_name, "name")
    init_labels(app)
    app.add_template_global(form_query)
    app.add_template_global(holidays_published)  # the booking pages' notice for a year not yet published
    app.add_template_global(DISTRICTS, "DISTRICTS")  # the homes' districts, for pickers and filters
    app.add_template_global(KINDS, "KINDS")  # the events' kinds, likewise
    app.add_template_global(insecure_cookie_message)  # why a form cannot be checked over plain http

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def nav_links(app: Flask) -> list[tuple[str, str]]:
    """Main navigation: the features' entry pages that exist, in a fixed order."""
    from flask_babel import gettext as _
    from flask_login import current_user

    links = [
        ("main.index", _("Homes")),
        ("bookings.find", _("Book a room")),
        ("events.index", _("Events")),
        ("calendar_pages.month", _("Calendar")),
    ]
    if current_user.is_authenticated:
        links += [
            ("bookings.mine", _("My bookings")),
            ("events.mine", _("My sign-ups")),
            ("notifications.mine", _("Messages")),
            ("account.my_data", _("My data")),
        ]
    return [(endpoint, label) for endpoint, label in links if endpoint in app.view_functions]


def manage_links(app: Flask) -> list[tuple[str, str]]:
    """The header's "Manage" group: organisers' pages, then administrators' own."""
    from flask_babel import gettext as _
    from flask_login import current_user

    links = []
    if current_user.is_authenticated and current_user.is_staff:
        links += [
            ("bookings.approvals", _("Approvals")),
            ("attendance.statistics", _("Statistics")),
            ("auth.pending", _("Credentials")),
            ("admin.audit_log", _("Audit log")),
        ]
    if current_user.is_authenticated and current_user.is_admin:
        links += [
            ("auth.registry_upload", _("Registry")),
            ("admin.users", _("Users")),
            ("admin.holidays", _("Holidays")),
            ("notifications.undelivered", _("Undelivered mail")),
        ]
    return [(endpoint, label) for endpoint, label in links if endpoint in app.view_functions]


def _feature_blueprints():
    """Feature packages that exist so far; each exposes `bp` in its routes module."""
    import importlib

    found = []
    for name in ("account", "bookings", "events", "feeds", "calendars", "attendance", "notifications", "admin"):
        try:
            found.append(importlib.import_module(f"app.{name}.routes"))
        except ModuleNotFoundError as error:
            if error.name not in (f"app.{name}", f"app.{name}.routes"):
                raise
    return found
