"""Fixtures: the app on SQLite (default) or PostgreSQL (TEST_DATABASE_URL), clients and factories."""

from __future__ import annotations

import itertools
import os
import tempfile
from datetime import datetime

import pytest
from flask import g
from flask.testing import FlaskClient
from tables import wipe
from users_factories import PASSWORD

from app import create_app
from app.extensions import db
from app.models import Home, Room, User
from config import TestConfig

_counter = itertools.count(1)


def _database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    # A file, not :memory:, so that threads and processes in concurrency tests share it.
    return f"sqlite:///{tempfile.mkdtemp(prefix='talent-home-tests-')}/test.sqlite"


class IsolatedClient(FlaskClient):
    """Tests share the app context with requests, so clear `g` (the logged-in user) each time."""

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            g.__dict__.clear()


@pytest.fixture(scope="session")
def app():
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = _database_url()

    application = create_app(Config)
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def app_ctx(app):
    """Each test runs in an app context over an empty database."""
    with app.app_context():
        yield
        db.session.remove()
        wipe()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user():
    """make_user(role="talent", district="liwan", verified=True, **fields) -> User (committed)."""

    def _make(
        role: str = "talent", district: str | None = "liwan", verified: bool = True, password: str = PASSWORD, **fields
    ) -> User:
        from app.auth.services import create_user

        n = next(_counter)
        credential = None
        if role == "talent" and verified:
            issuer = "liwan_yingcai" if district == "liwan" else "nanhai_kunpeng"
            credential = f"{issuer}:T{n:06d}"
        user = create_user(
            fields.pop("email", f"user{n}@example.com"),
            password,
            fields.pop("name", f"User {n}"),
            role,
            district,
            credential,
        )
        if role == "talent" and not verified:
            user.credential_issuer, user.credential_number = "liwan_yingcai", f"P{n:06d}"
            user.talent_status = "pending"
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def homes() -> dict[str, Home]:
    """Both homes with the demo rooms and hours (09:00–21:00 weekdays, 09:00–17:30 weekends)."""
    from app.demo import seed_homes

    seed_homes()
    db.session.commit()
    return {h.district: h for h in db.session.scalars(db.select(Home))}


@pytest.fixture
def room(homes) -> Room:
    """A Liwan room without approval, capacity 12."""
    return db.session.scalar(
        db.select(Room).join(Home).where(Home.district == "liwan", Room.requires_approval.is_(False)).order_by(Room.id)
    )


class ApiClient:
    """The test client speaking JSON with a bearer token."""

    def __init__(self, client):
        self.client = client
        self.headers: dict[str, str] = {}

    def login(self, user_or_email, password: str = PASSWORD) -> ApiClient:
        email = getattr(user_or_email, "email", user_or_email)
        response = self.client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        self.headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
        return self

    def logout(self) -> ApiClient:
        self.headers = {}
        return self

    def get(self, path, **kw):
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path, json=None, **kw):
        return self.client.post(path, json=json if json is not None else {}, headers=self.headers, **kw)

    def patch(self, path, json=None, **kw):
        return self.client.patch(path, json=json or {}, headers=self.headers, **kw)

    def delete(self, path, json=None, **kw):
        return self.client.delete(path, json=json or {}, headers=self.headers, **kw)


@pytest.fixture
def api(client) -> ApiClient:
    return ApiClient(client)


@pytest.fixture
def api_as(app):
    """api_as(user) -> an ApiClient logged in as that user, each with its own test client."""

    def _as(user) -> ApiClient:
        return ApiClient(app.test_client()).login(user)

    return _as


@pytest.fixture
def login(client):
    """Log the page client in as a user through the login form."""

    def _login(user, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


def local(text_value: str) -> datetime:
    """'2026-12-01 10:00' in Asia/Shanghai as an aware UTC datetime."""
    from app.timezones import parse_datetime

    return parse_datetime(text_value.replace(" ", "T"))
