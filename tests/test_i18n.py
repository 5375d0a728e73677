"""Translations: every extracted string has a Chinese translation; pages are Chinese by default, English on request."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.extensions import db
from app.i18n import compile_catalogues
from app.models import User

ROOT = Path(__file__).resolve().parent.parent


def _i18n_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The template catalogue of the strings in app/ as they are now."""
    script = _i18n_script()
    return script, script.extract(tmp_path_factory.mktemp("pot") / "messages.pot")


def test_every_string_has_a_chinese_translation(extracted):
    script, template = extracted
    untranslated, fuzzy = script.gaps(template, "zh")
    assert len(template) > 100
    assert not untranslated, "run `.venv/bin/python scripts/i18n.py` and translate in zh/messages.po: " + repr(
        untranslated
    )
    assert not fuzzy, f"check and unmark the fuzzy zh entries: {fuzzy!r}"


def test_chinese_translations_keep_the_placeholders():
    with (ROOT / "app/translations/zh/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="zh")
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert problems == []


def test_gap_report_finds_a_missing_translation(extracted, tmp_path, monkeypatch):
    script, template = extracted
    po = (ROOT / "app/translations/zh/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    copy = tmp_path / "zh" / "LC_MESSAGES" / "messages.po"
    copy.parent.mkdir(parents=True)
    copy.write_text(po.replace('msgstr "退出登录"', 'msgstr ""', 1), encoding="utf-8")
    monkeypatch.setattr(script, "TRANSLATIONS", tmp_path)
    assert script.gaps(template, "zh")[0] == ["Log out"]


def test_catalogues_compile_without_a_manual_step(tmp_path):
    po = ROOT / "app/translations/zh/LC_MESSAGES/messages.po"
    target = tmp_path / "zh" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(po.read_bytes())
    compile_catalogues(tmp_path)
    assert (target / "messages.mo").stat().st_size > 1000


def test_pages_are_chinese_by_default(client, homes):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "跳到正文" in page and "荔南人才之家" in page
    assert "Skip to content" not in page


def test_english_switch_sticks_across_pages(client, homes):
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    login_page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in login_page
    assert "Forgot your password?" in login_page and "忘记密码" not in login_page
    assert "Skip to content" in client.get("/").get_data(as_text=True)
    client.get("/lang/zh")
    assert "忘记密码" in client.get("/login").get_data(as_text=True)


def test_language_choice_is_kept_on_the_account(client, login, make_user):
    user = make_user()
    login(user)
    client.get("/lang/en")
    assert db.session.get(User, user.id).locale is None  # a GET writes nothing
    client.post("/lang/en")
    assert db.session.get(User, user.id).locale == "en"
    client.post("/logout")
    client.delete_cookie("lang")
    with client.session_transaction() as session:
        session.pop("lang", None)
    assert "忘记密码" in client.get("/login").get_data(as_text=True)
    login(user)
    assert "Skip to content" in client.get("/").get_data(as_text=True)


def test_the_switch_wins_over_the_accounts_saved_language_and_is_kept_on_it(client, login, make_user):
    user = make_user(locale="zh")
    client.post("/lang/en")  # signed out: the session and the cookie
    login(user)
    assert "Skip to content" in client.get("/").get_data(as_text=True)
    assert db.session.get(User, user.id).locale == "en"
    with client.session_transaction() as session:  # a new visit in the same browser: only the cookie
        session.pop("lang", None)
    assert "Skip to content" in client.get("/").get_data(as_text=True)
    client.post("/lang/zh")
    assert "跳到正文" in client.get("/").get_data(as_text=True) and db.session.get(User, user.id).locale == "zh"


def test_a_remembered_switch_wins_over_the_account_when_signing_in(client, login, make_user):
    user = make_user(locale="zh")
    client.set_cookie("lang", "en")
    login(user)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert db.session.get(User, user.id).locale == "en"


def test_a_new_browser_follows_the_account(client, login, make_user):
    user = make_user(locale="en")
    login(user)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert db.session.get(User, user.id).locale == "en"


def test_foreign_redirect_after_switch_stays_on_site(client):
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_form_library_messages_follow_the_page_language(client, homes):
    """WTForms' own messages (read once per process) are in the page's language, each request its own."""
    for language, message in (("zh", "不是有效的整数"), ("en", "Not a valid integer value."), ("zh", "不是有效的整数")):
        client.set_cookie("lang", language)
        page = client.get("/bookings/find?min_capacity=many").get_data(as_text=True)
        assert message in page, language
