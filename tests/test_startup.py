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


def test_what_loading_made_is_left_out_of_the_collectors_passes():
    code = "import gc, wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DATABASE_URL": "sqlite:///" + str(ROOT / "instance" / "startup-check.sqlite")}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) > 50_000


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


def _flask(*args: str, **settings: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **settings}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_command_before_db_upgrade_says_to_run_it_first(tmp_path):
    run = _flask("seed-demo", DATABASE_URL=f"sqlite:///{tmp_path}/new.sqlite")
    assert run.returncode == 3
    assert "run `flask --app wsgi db upgrade` first" in run.stderr
    assert "Traceback" not in run.stderr


def test_an_unreachable_postgresql_names_the_setting():
    run = _flask("seed-demo", DATABASE_URL="postgresql://postgres:secret@127.0.0.1:9/talent_home")
    assert run.returncode == 3
    assert "DATABASE_URL=postgresql+psycopg://postgres:***@127.0.0.1:9/talent_home" in run.stderr
    assert "secret" not in run.stderr and "Traceback" not in run.stderr


def test_check_reports_every_part_on_one_screen(tmp_path):
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path}/checked.sqlite"}
    before = _flask("check", **settings)
    assert before.returncode == 1 and "FAIL database" in before.stdout and "db upgrade" in before.stdout
    assert _flask("db", "upgrade", **settings).returncode == 0
    good = _flask("check", **settings)
    assert good.returncode == 0, good.stdout + good.stderr
    for part in ("configuration", "database", "mail", "redis"):
        assert f"ok   {part}" in good.stdout
    bad = _flask(
        "check", MAIL_SERVER="127.0.0.1", MAIL_PORT="9", RATELIMIT_STORAGE_URI="redis://127.0.0.1:9", **settings
    )
    assert bad.returncode == 1
    assert "FAIL mail" in bad.stdout and "MAIL_SERVER=127.0.0.1 MAIL_PORT=9" in bad.stdout
    assert "FAIL redis" in bad.stdout and "ok   database" in bad.stdout
