"""Settings the app cannot start with stop it with one line naming the setting, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi", "routes"]


def _start(**settings: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": "sqlite:///" + str(ROOT / "instance" / "startup-check.sqlite"), **settings}
    return subprocess.run(FLASK, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"MAIL_PORT": "abc"}, "MAIL_PORT='abc': must be a whole number"),
        ({"DATABASE_URL": "mysql://db/talent_home"}, "DATABASE_URL must be sqlite:///PATH or postgresql://"),
        ({"RATELIMIT_ENABLED": "maybe"}, "RATELIMIT_ENABLED='maybe'"),
        ({"PUBLIC_BASE_URL": "ftp://talent-home.example"}, "PUBLIC_BASE_URL must be an http or https address"),
    ],
)
def test_a_bad_setting_is_named_without_a_traceback(settings, named):
    run = _start(**settings)
    assert run.returncode == 4
    assert f"Configuration error: {named}" in run.stderr
    assert "Traceback" not in run.stderr


def test_every_bad_setting_is_named_at_once():
    run = _start(MAIL_PORT="abc", NOTIFY_MAX_ATTEMPTS="many")
    assert run.returncode == 4 and "MAIL_PORT=" in run.stderr and "NOTIFY_MAX_ATTEMPTS=" in run.stderr


def test_good_settings_start():
    run = _start(MAIL_PORT="2525", RATELIMIT_ENABLED="off")
    assert run.returncode == 0, run.stderr
    assert "/api/v1/homes" in run.stdout


@pytest.fixture
def secure_cookie_app(app):
    from app import create_app
    from config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = True
        SESSION_COOKIE_SECURE = True

    return create_app(Config)


@pytest.mark.parametrize(
    ("base_url", "says"), [("http://localhost", "SESSION_COOKIE_SECURE=0"), ("https://localhost", "")]
)
def test_a_form_refused_for_an_https_only_cookie_over_http_says_so(secure_cookie_app, base_url, says):
    client = secure_cookie_app.test_client()
    client.get("/login", base_url=base_url)
    response = client.post("/login", data={"email": "a@example.com", "password": "x"}, base_url=base_url)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (says in page) if says else ("SESSION_COOKIE_SECURE" not in page)
