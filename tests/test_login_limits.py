"""Failed logins count against the account and the address, on the page and the API together."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.extensions import limiter

PASSWORD = "Passw0rd123"
PER_ACCOUNT, PER_ADDRESS = 3, 6
HERE, THERE = "10.0.0.1", "10.0.0.2"


@pytest.fixture(autouse=True)
def low_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", f"{PER_ACCOUNT} per minute")
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_RATE_LIMIT", f"{PER_ADDRESS} per minute")
    limiter.reset()
    yield
    limiter.reset()


def by_api(client, email, password, address):
    response = client.post(
        "/api/v1/auth/token", json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )
    return {200: "ok", 401: "wrong"}.get(response.status_code, response.status_code)


def by_page(client, email, password, address):
    response = client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})
    if response.status_code == 302:
        client.post("/logout", environ_base={"REMOTE_ADDR": address})
        return "ok"
    return "wrong" if response.status_code == 422 else response.status_code


@pytest.fixture(params=[by_api, by_page], ids=["api", "page"])
def attempt(request, client):
    return lambda email, password, address=HERE: request.param(client, email, password, address)


def test_failures_on_one_account_do_not_block_another_from_the_same_address(make_user, attempt):
    admin, target = make_user(role="admin", district=None), make_user()
    assert [attempt(target.email, "Wrong12345") for _ in range(PER_ACCOUNT)] == ["wrong"] * PER_ACCOUNT
    assert attempt(target.email, "Wrong12345") == 429
    # Right passwords are not counted: the administrator logs in again and again.
    assert [attempt(admin.email, PASSWORD) for _ in range(PER_ADDRESS + 1)] == ["ok"] * (PER_ADDRESS + 1)


def test_an_account_with_too_many_failures_waits_even_with_the_right_password(make_user, attempt):
    """Answering the right password would let the guessing go on; the lock lasts one window."""
    user = make_user()
    for _ in range(PER_ACCOUNT):
        attempt(user.email.upper(), "Wrong12345")
    assert attempt(user.email, PASSWORD, THERE) == 429


def test_one_address_trying_many_accounts_is_stopped_there_only(make_user, attempt):
    users = [make_user() for _ in range(PER_ADDRESS + 1)]
    assert [attempt(u.email, "Wrong12345") for u in users[:PER_ADDRESS]] == ["wrong"] * PER_ADDRESS
    assert attempt(users[-1].email, PASSWORD) == 429
    assert attempt(users[-1].email, PASSWORD, THERE) == "ok"


def test_page_and_api_failures_count_together(client, make_user):
    user = make_user()
    by_page(client, user.email, "Wrong12345", HERE)
    by_api(client, user.email, "Wrong12345", THERE)
    by_page(client, user.email, "Wrong12345", HERE)
    assert by_api(client, user.email, PASSWORD, THERE) == 429
    assert by_page(client, user.email, PASSWORD, HERE) == 429


UNREACHABLE_REDIS = textwrap.dedent(
    """
    import sys, tempfile
    from app import create_app
    from app.auth.services import create_user
    from app.extensions import db
    from config import TestConfig

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tempfile.mkdtemp()}/limits.sqlite"
        LOGIN_RATE_LIMIT = "2 per minute"

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        create_user("a@example.com", "Passw0rd123", "A", "talent", "liwan")
        create_user("b@example.com", "Passw0rd123", "B", "talent", "liwan")
        db.session.commit()
        client = app.test_client()
        api = [("/api/v1/auth/token", dict(json={"email": "a@example.com", "password": p})) for p in ("x", "x", "x")]
        right = "Passw0rd123"
        page = [("/login", dict(data={"email": e, "password": right})) for e in ("a@example.com", "b@example.com")]
        print(*[client.post(path, **kw).status_code for path, kw in api + page])
    """
)


def test_logins_answer_when_the_limit_storage_is_unreachable():
    """A Redis that refuses connections: the limits go on in memory, with a warning in the log."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0", "PYTHONPATH": str(root)}
    env.pop("TEST_DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", UNREACHABLE_REDIS], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["401", "401", "429", "429", "302"]
    assert "falling back to in-memory storage" in run.stderr
