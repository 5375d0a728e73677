"""Migrations: `db upgrade` on an empty database gives exactly the schema the models describe."""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import Column, MetaData, String, create_engine, inspect, make_url, text

from app import create_app
from app.extensions import db
from config import TestConfig

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgresql://", "postgresql+psycopg://")):
        return None
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@contextmanager
def _empty_database():
    """An empty database of the kind the suite runs on: a new SQLite file, or a new PostgreSQL database."""
    base = _postgres_url()
    if base is None:
        with tempfile.TemporaryDirectory(prefix="talent-home-migrations-") as tmp:
            yield f"sqlite:///{tmp}/empty.sqlite"
        return
    name = f"{make_url(base).database}_migrations_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _loggers_kept():
    """Alembic's env.py loads alembic.ini's logging config, which disables the loggers other tests rely on."""
    manager = logging.root.manager
    before = {
        name: logger.disabled for name, logger in manager.loggerDict.items() if isinstance(logger, logging.Logger)
    }
    root_level, root_handlers = logging.root.level, list(logging.root.handlers)
    try:
        yield
    finally:
        for name, disabled in before.items():
            manager.loggerDict[name].disabled = disabled
        logging.root.setLevel(root_level)
        logging.root.handlers[:] = root_handlers


@pytest.fixture(scope="module")
def migrated():
    """An app over a database built by the migrations alone (no create_all)."""
    with _empty_database() as url:

        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = url

        application = create_app(Config)
        with application.app_context(), _loggers_kept():
            flask_migrate.upgrade(directory=MIGRATIONS)
            yield application
            db.session.remove()
            db.engine.dispose()


def schema_differences(engine, metadata: MetaData) -> list:
    """What autogenerate would write, with the comparison options of migrations/env.py."""
    options = dict(current_app.extensions["migrate"].configure_args)
    options.pop("render_as_batch", None)
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts=options), metadata)


def test_upgrade_gives_the_models_schema(migrated):
    with migrated.app_context():
        differences = schema_differences(db.engine, db.metadata)
        tables = set(inspect(db.engine).get_table_names())
    assert differences == [], "models and migrations disagree; run `flask --app wsgi db migrate`"
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_a_model_change_without_migration_is_caught(migrated):
    changed = MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["users"].append_column(Column("nickname", String(40)))
    with migrated.app_context():
        differences = schema_differences(db.engine, changed)
    assert [(d[0], d[2], d[3].name) for d in differences] == [("add_column", "users", "nickname")]


def test_overlap_exclusion_constraint_exists_on_postgresql(migrated):
    with migrated.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the exclusion constraint exists on PostgreSQL only")
        kind = db.session.execute(
            text(
                "SELECT contype FROM pg_constraint WHERE conname = 'ex_bookings_room_overlap' "
                "AND conrelid = 'bookings'::regclass"
            )
        ).scalar_one_or_none()
        db.session.rollback()
    assert kind == "x"


def test_downgrade_to_base_and_back(migrated):
    with migrated.app_context(), _loggers_kept():
        flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
        left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        flask_migrate.upgrade(directory=MIGRATIONS)
        differences = schema_differences(db.engine, db.metadata)
    assert left == set()
    assert differences == []


def test_upgrade_alone_gives_both_homes_ready_for_bookings(migrated):
    """`db upgrade` with nothing else: both homes, open every day, with rooms (one needing approval)."""
    from app.models import Home

    with migrated.app_context():
        homes = {h.district: h for h in db.session.scalars(db.select(Home))}
        assert sorted(homes) == ["liwan", "nanhai"]
        for home in homes.values():
            assert home.opening_hours["mon"] == ["09:00", "21:00"] and home.opening_hours["sun"] == ["09:00", "17:30"]
            assert len(home.rooms) >= 4 and sum(r.requires_approval for r in home.rooms) == 1
            assert all(r.active and r.name_en for r in home.rooms)
        db.session.rollback()


def test_known_values_are_checked_and_adding_them_keeps_referring_rows(migrated):
    """On SQLite the CHECKs are added by rebuilding `users`, `events` …; the rows that refer to them
    (a booking's booker) must come through, and an unknown value is refused afterwards."""
    from sqlalchemy.exc import IntegrityError

    from app.models import Booking, Room, User
    from app.timezones import now_utc

    with migrated.app_context(), _loggers_kept():
        flask_migrate.downgrade(directory=MIGRATIONS, revision="5b7e3f1c9a2d")
        user = User(name="Booker", email="booker@example.com", password_hash="x", calendar_token="known-values")
        start = now_utc()
        room = db.session.scalars(db.select(Room)).first()
        booking = Booking(room=room, user=user, starts_at=start, ends_at=start + timedelta(hours=1), title="t")
        booking.status = "confirmed"
        db.session.add(booking)
        db.session.commit()
        booking_id = booking.id
        db.session.remove()
        flask_migrate.upgrade(directory=MIGRATIONS)
        kept = db.session.get(Booking, booking_id)
        assert kept is not None and kept.user is not None and kept.user.email == "booker@example.com"
        kept.status = "lost"
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.execute(text("DELETE FROM bookings WHERE id = :id"), {"id": booking_id})
        db.session.execute(text("DELETE FROM users WHERE email = 'booker@example.com'"))
        db.session.commit()
