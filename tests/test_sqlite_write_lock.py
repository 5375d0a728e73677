"""SQLite's write lock: a changing transaction waits for another writer by trying again in short
steps (app.database.take_write_lock), and hands over to SQLite's own waiting after POLL_SECONDS."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from app import database
from app.extensions import db


@pytest.fixture
def sqlite_file(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    return db.engine.url.database


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another process's writer: holds the lock for `seconds`, then commits."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")

    def release():
        time.sleep(seconds)
        holder.execute("COMMIT")
        holder.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def _write_transaction() -> tuple[float, float | None]:
    """Begin a changing transaction (outside a request every transaction takes the write lock) and
    end it; returns when it held the lock, and when one of the short tries took it (None when none did)."""
    db.session.remove()
    db.session.execute(db.text("SELECT 1"))
    taken = time.perf_counter()
    connection = db.session.connection()
    by_a_try = connection.info.pop(database.WRITE_LOCKED_AT, None)
    timeout = db.session.execute(db.text("PRAGMA busy_timeout")).scalar_one()
    db.session.rollback()
    assert timeout == database.BUSY_TIMEOUT_MS  # restored once the lock is taken
    return taken, by_a_try


def test_a_writer_waits_for_the_lock_by_trying_again_and_takes_it_once_it_is_free(sqlite_file):
    released = time.perf_counter() + 0.3
    thread = _hold_write_lock(sqlite_file, 0.3)
    taken, by_a_try = _write_transaction()
    thread.join()
    assert taken >= released - 0.01
    # One of the short tries took it (they run with SQLite's busy timeout at 0), soon after the release.
    assert by_a_try is not None and released - 0.01 <= by_a_try < released + 0.5


def test_after_polling_for_a_while_sqlites_own_waiting_takes_over(sqlite_file, monkeypatch):
    monkeypatch.setattr(database, "POLL_SECONDS", 0.05)
    released = time.perf_counter() + 0.4
    thread = _hold_write_lock(sqlite_file, 0.4)
    taken, by_a_try = _write_transaction()
    thread.join()
    assert taken >= released - 0.01
    assert by_a_try is None or by_a_try < released  # no try took it (the mark may be an earlier one's)


def test_a_reading_transaction_takes_no_write_lock(sqlite_file, app):
    holder = sqlite3.connect(sqlite_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with app.test_request_context("/", method="GET"):
            db.session.remove()
            began = time.perf_counter()
            assert db.session.execute(db.text("SELECT 1")).scalar_one() == 1
            assert time.perf_counter() - began < 0.5
            db.session.rollback()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
