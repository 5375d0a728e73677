"""Language choice (Chinese by default, English by a switch that sticks) and catalogue compilation.

The switch is the person's explicit choice: it is kept in the session and in a cookie (and on the
account when made signed in), and it wins over the account's saved language in that browser. Signing
in keeps the browser's choice on the account, so the page does not change language under the person and
mails follow what they chose."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user, user_logged_in
from wtforms.i18n import messages_path

from app.extensions import babel

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LANG_COOKIE = "lang"
LANGUAGES = ("zh", "en")


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


def browser_choice() -> str | None:
    """The language switched to in this browser: this visit's choice, then the remembered one."""
    for chosen in (session.get(LANG_COOKIE), request.cookies.get(LANG_COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return None


def select_locale() -> str:
    chosen = getattr(g, "forced_locale", None)
    if chosen in LANGUAGES:
        return chosen
    if not has_request_context():
        return "zh"
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(LANGUAGES) or "zh"
    # The browser's switch, then the account's saved language (a new browser), then Chinese.
    chosen = browser_choice()
    if chosen is None and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    return chosen if chosen in LANGUAGES else "zh"


def _keep_choice_on_account(_app, user, **_extra) -> None:
    """On signing in (or up), the browser's switch becomes the account's language."""
    if has_request_context() and (chosen := browser_choice()) is not None and user.locale != chosen:
        user.locale = chosen


def init_i18n(app: Flask) -> None:
    compile_catalogues()
    user_logged_in.connect(_keep_choice_on_account)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )

    @app.before_request
    def _form_messages():
        # Flask-WTF would read WTForms' own catalogue from disk on each request that validates a form.
        request.wtforms_translations = FORM_MESSAGES

    @app.context_processor
    def _language():
        return {"current_language": str(get_locale() or "zh")}


@cache
def _wtforms_catalogue(language: str) -> support.Translations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class FormMessages:
    """WTForms' messages in the page's language, each catalogue read once per process."""

    def _catalogue(self) -> support.Translations:
        return _wtforms_catalogue(str(get_locale() or "zh"))

    def ugettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


FORM_MESSAGES = FormMessages()  # holds no state: the language is the page's, read on each call
