"""The connection pool tests a connection before use only when it has lain unused a while
(app.database._ping_after_idle): none of the round trip on every request that pool_pre_ping costs,
and a connection the database dropped during a quiet spell is replaced before a request sees it."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from app.database import CHECKED_IN_AT
from app.extensions import db


@pytest.fixture
def one_pooled(app):
    """The app's pool emptied, then one connection used and given back: its `info` dict."""
    db.session.remove()
    db.engine.dispose()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
        info = connection.connection.info
    assert CHECKED_IN_AT in info
    yield info
    db.engine.dispose()


@pytest.fixture
def pings(monkeypatch):
    """Each ping the pool sends, counted, the dialect's own ping still sent."""
    sent = []
    real = db.engine.dialect.do_ping

    def counted(dbapi_connection):
        sent.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(db.engine.dialect, "do_ping", counted)
    return sent


def _idle_for(info: dict, seconds: float) -> None:
    info[CHECKED_IN_AT] -= seconds


def test_a_connection_back_from_use_a_moment_ago_is_used_without_a_test(app, one_pooled, pings):
    assert app.config["DATABASE_PING_AFTER_IDLE_SECONDS"] == 10
    for _ in range(3):
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 2").scalar() == 2
    assert pings == []


def test_a_connection_unused_longer_than_the_setting_is_tested_first(app, one_pooled, pings):
    _idle_for(one_pooled, 11)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 2").scalar() == 2
    assert len(pings) == 1
    # Used just now, it is not tested again.
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    assert len(pings) == 1


def _backend_pid() -> int:
    with db.engine.connect() as connection:
        return connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()


def _terminate(pid: int) -> None:
    admin = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0] is True


@pytest.fixture
def postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a database server that can drop a connection")


def test_a_connection_the_database_dropped_during_a_quiet_spell_is_replaced_unseen(postgres, one_pooled):
    dropped = _backend_pid()
    _terminate(dropped)
    _idle_for(one_pooled, 11)
    with db.engine.connect() as connection:
        now_serving = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    assert now_serving != dropped


def test_a_connection_dropped_while_in_steady_use_fails_once_and_is_replaced(postgres, one_pooled):
    """Not tested within the setting: the statement on the dropped connection fails (as those running
    at a restart do), and the pool then replaces it."""
    dropped = _backend_pid()
    _terminate(dropped)
    with pytest.raises(OperationalError), db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    assert _backend_pid() != dropped
