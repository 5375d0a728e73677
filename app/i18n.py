"""Language choice (Chinese by default, English by a switch that sticks) and catalogue compilation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from app.extensions import babel

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LANG_COOKIE = "lang"


def compile_catalogues(directory: Path = TRANSLATIONS_DIR) -> None:
    """Compile each messages.po whose .mo is missing or older, so no manual step is needed."""
    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        tmp = mo_path.with_suffix(f".mo.{id(catalog)}")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        tmp.replace(mo_path)


def select_locale() -> str:
    languages = ("zh", "en")
    chosen = getattr(g, "forced_locale", None)
    if chosen in languages:
        return chosen
    if not has_request_context():
        return "zh"
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or "zh"
    # This visit's choice, then the account's, then the browser's remembered one.
    for chosen in (
        session.get(LANG_COOKIE),
        current_user.locale if current_user and current_user.is_authenticated else None,
        request.cookies.get(LANG_COOKIE),
    ):
        if chosen in languages:
            return chosen
    return "zh"


def init_i18n(app: Flask) -> None:
    compile_catalogues()
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )

    @app.context_processor
    def _language():
        return {"current_language": str(get_locale() or "zh")}
