"""Engine set-up: SQLite runs in WAL mode and takes its write lock when a transaction begins; a
connection the pool hands out after lying unused a while is tested first."""

from __future__ import annotations

import random
import sqlite3
import time
from functools import cache, lru_cache

from flask import Flask, g, has_request_context, request
from sqlalchemy import bindparam, event, inspect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from app.extensions import db


def init_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactions_immediate(engine)
    _ping_after_idle(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])


CHECKED_IN_AT = "checked_in_at"


def _ping_after_idle(engine, idle_seconds: float) -> None:
    """Test a pooled connection before use when it has lain unused for `idle_seconds` or more; one
    that fails is replaced by a new connection, so the request does not see it (SQLAlchemy's
    documented use of DisconnectionError in a checkout handler).

    This is pool_pre_ping without its round trip on every request: under load a connection is back
    in use within milliseconds, and a database restarted meanwhile fails the statements then running
    anyway, after which SQLAlchemy replaces every connection older than the failure. A connection
    left over a quiet spell, when a restart or a dropped network link goes unseen, is tested."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info[CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        since = record.info.get(CHECKED_IN_AT)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or back from use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the pooled connection no longer answers") from error


def _wants_write_lock() -> bool:
    """Reading pages need no write lock, nor does finding the caller; every other transaction
    (requests that change things, GETs marked `writes`, the CLI, background work) takes it."""
    if not has_request_context():
        return True
    if g.get("writes"):
        return True
    return not (request.method in ("GET", "HEAD", "OPTIONS") or g.get("reading_only"))


def _make_sqlite_transactions_immediate(engine) -> None:
    # pysqlite opens transactions lazily and only before writes, so a booking could read
    # "no overlap" and then lose the race. Beginning a changing transaction IMMEDIATE takes
    # the single writer lock up front: check-then-insert is serialised across processes.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if _wants_write_lock():
            take_write_lock(connection)
        else:
            connection.exec_driver_sql("BEGIN")


BUSY_TIMEOUT_MS = 30000
# How long a writer keeps trying for the lock in short steps before SQLite's own waiting takes over.
POLL_SECONDS = 5.0
POLL_STEP_SECONDS = (0.0002, 0.001)
WRITE_LOCKED_AT = "write_locked_at"


def take_write_lock(connection) -> None:
    """BEGIN IMMEDIATE, waiting for another writer by trying again every fraction of a millisecond.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … ms between its tries, so a writer that
    has missed the lock a few times sleeps on while later arrivals take it: under a rush of sign-ups
    some wait hundreds of milliseconds for a lock that is free most of that time. Polling in short,
    jittered steps keeps every waiter's chance equal. After POLL_SECONDS (or on any error other than
    "busy") the statement is run once more with the usual timeout, whose error the caller then sees.
    The moment a try took the lock is kept in the connection's `info` (bench/profile_writes.py reads it)."""
    raw = connection.connection.driver_connection
    deadline = time.monotonic() + POLL_SECONDS
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    break
                time.sleep(random.uniform(*POLL_STEP_SECONDS))
            else:
                connection.info[WRITE_LOCKED_AT] = time.perf_counter()
                return
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_core(statement, parameters: dict):
    """Run a Core statement (one that loads no ORM objects) on the session's connection, past the
    ORM's execution layer (about 70 µs a statement on PostgreSQL): for the hot statements of a
    booking and a sign-up. The session is not flushed first, so it suits only statements that need
    no pending change to be flushed (each caller says why)."""
    return db.session.connection().execute(statement, parameters)


def insert_together(*inserts: tuple) -> object:
    """Run INSERTs, each given as (statement, a row or a list of rows), where none reads or needs
    what another writes (a new row and its message, a booking's message and its calendar entries):
    on PostgreSQL in one statement, the first INSERT's, the others data-modifying WITHs before it,
    so in one round trip; on SQLite, whose statements make none, one after another. The combined
    statement is built once for each set of statements, columns and row counts. Like `run_core`,
    nothing is flushed first. Returns the first INSERT's result (on PostgreSQL, of its first row).
    Rows of one table must not share a unique key: each is inserted by its own INSERT, and none
    sees another's row. Rows of other tables are seen by the checks of foreign keys, which run as
    the statement ends: a message may refer to a booking inserted beside it."""
    connection = db.session.connection()
    if not inserts:
        return None
    if connection.dialect.name != "postgresql":
        results = [connection.execute(statement, rows) for statement, rows in inserts]
        return results[0]
    listed = [(statement, rows if isinstance(rows, list) else [rows]) for statement, rows in inserts]
    combined = _together(tuple((statement, tuple(rows[0]), len(rows)) for statement, rows in listed))
    values = {
        f"p{n}_{i}_{key}": value
        for n, (_statement, rows) in enumerate(listed)
        for i, row in enumerate(rows)
        for key, value in row.items()
    }
    return connection.execute(combined, values)


@lru_cache(maxsize=64)
def _together(parts: tuple):
    """`insert_together`'s statement: each row an INSERT of its own (one of several rows of VALUES
    would make a statement SQLAlchemy cannot cache), its columns parameters of their own (p0_0_…,
    p1_0_…), so that columns of one name in two rows or tables do not clash."""
    single = [
        statement.values({key: bindparam(f"p{n}_{i}_{key}") for key in keys})
        for n, (statement, keys, count) in enumerate(parts)
        for i in range(count)
    ]
    combined, *others = single
    for n, other in enumerate(others, start=1):
        combined = combined.add_cte(other.cte(f"along_{n}"))
    return combined


def insert_new(instance) -> None:
    """Insert a new mapped object by one Core INSERT of every column (`new_row`), past the
    session's unit of work (for the hot insert of a booking), then give it to the session as if it
    had been read (`joined_as_read`). The session's pending changes are flushed first, so that the
    rows it refers to exist; its flush events do not see this row, so the caller notes what they
    would (a booking's calendar entries: `fragments.note_new_booking`). A refusal by the database
    raises IntegrityError, as the flush would."""
    db.session.flush()
    instance.id = run_core(insert_returning_id(inspect(instance).mapper.local_table), new_row(instance)).scalar_one()
    joined_as_read(instance)


def taken_ahead(instance) -> tuple:
    """A new mapped object whose id was taken ahead from its table's sequence (`next_id`, in a
    statement the caller sent anyway), given to the session as if it had been read, and the INSERT
    of its row for `insert_together`, which the caller sends with the rows that refer to it: one
    round trip fewer than `insert_new`. Nothing reads the row before that statement is sent."""
    row = new_row(instance) | {"id": instance.id}
    joined_as_read(instance)
    return insert_of(inspect(instance).mapper.local_table), row


def next_id(table):
    """PostgreSQL: the next id of `table`'s sequence, as a column of a statement (used up even if
    the row is never inserted: ids have gaps anyway)."""
    return db.func.nextval(db.func.pg_get_serial_sequence(table.name, "id"))


def new_row(instance) -> dict:
    """Every column's value of a new mapped object but its id, the Python-side defaults of those
    not set filled in (and set on it) as the flush would. A column neither set nor defaulted is
    NULL, and is set so: once the object is given to the session as read, an attribute it lacks
    would be loaded by a SELECT of its own."""
    state = inspect(instance)
    row = {}
    for attribute in state.mapper.column_attrs:
        column = attribute.columns[0]
        if column.primary_key:
            continue
        if attribute.key not in state.dict:
            default = column.default
            if default is None:
                set_committed_value(instance, attribute.key, None)
            else:
                setattr(instance, attribute.key, default.arg if default.is_scalar else default.arg(None))
        row[column.key] = state.dict[attribute.key]
    return row


@cache
def insert_of(table):
    """The INSERT of rows of `table`, built once per table."""
    return db.insert(table)


@cache
def insert_returning_id(table):
    """The INSERT of one row of `table` returning its id, built once per table."""
    return db.insert(table).returning(table.c.id)


def joined_as_read(instance) -> None:
    """Give an object whose row was inserted past the session (its id set) to the session, as if
    it had been read."""
    make_transient_to_detached(instance)
    db.session.add(instance)


def lock_row(model, object_id):
    """Load a row and hold it until commit: FOR UPDATE on PostgreSQL; SQLite already holds its lock."""
    return db.session.execute(_lock_statement(model), {"id": object_id}).scalar_one_or_none()


@cache
def _lock_statement(model):
    """`lock_row`'s statement for a model, built once (bookings and sign-ups lock rows on every write)."""
    return (
        db.select(model).where(model.id == bindparam("id")).with_for_update().execution_options(populate_existing=True)
    )


def unindexed(column):
    """The column as an expression no index serves (SQL's `status || ''`): without statistics,
    SQLite would otherwise scan the (status, starts_at) index rather than seek by user or room."""
    return column.concat("")


class _NotSought(ColumnElement):
    """A column that SQLite may filter on but not seek by (its unary `+`); the column itself elsewhere."""

    inherit_cache = True
    # Part of the statement's cache key, so that statements using it are compiled once, not per run.
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column):
        self.column = column
        self.type = column.type


@compiles(_NotSought)
def _not_sought(element, compiler, **kw):
    return compiler.process(element.column, **kw)


@compiles(_NotSought, "sqlite")
def _not_sought_sqlite(element, compiler, **kw):
    return "+" + compiler.process(element.column, **kw)


def not_sought(column):
    """The column as an operand SQLite filters with but does not choose an index for. Without
    statistics SQLite picks between two equally good indexes by the order they were created in;
    this leaves it one."""
    return _NotSought(column)
