"""Engine set-up: SQLite runs in WAL mode and takes its write lock when a transaction begins."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from app.extensions import db


def init_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactions_immediate(engine)


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
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def lock_row(model, object_id):
    """Load a row and hold it until commit: FOR UPDATE on PostgreSQL; SQLite already holds its lock."""
    return db.session.execute(
        db.select(model).where(model.id == object_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()


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
