"""One unit of work per request and per CLI command: it commits once on success and rolls back on
any error, here and nowhere else. Services and views only add and flush.

- A request commits when its answer is below 400 and rolls back otherwise (a refused API call,
  a form shown again with its problems, an error page, a 500).
- `decided()` commits a write whose answer is decided at once, before the answer is shaped: a
  sign-up releases its event's lock, on which the next sign-ups queue, as early as it can.
- `keep_work()` keeps what the request did before a refusal (a booking refused after the caller's
  overdue bookings became no-shows keeps the no-shows); the refused part runs in `attempt` or
  `savepoint`, so only it is undone.
- `attempt(action, success)` runs a service for a page (savepoint, flash), the one helper pages use.
- `@one_transaction` does the same for a CLI command: commit on success, roll back on an error
  or a non-zero exit.
- `@writes` marks a GET that writes (an export's audit entry): on SQLite its transaction then takes
  the write lock from the start.
- `reading_only()` finds a changing request's caller, and reads what a booking or a sign-up checks
  before its locks, in a short read transaction of its own (SQLite's write lock is taken later).

The outbox (`app/notifications/outbox.py`, `delivery.py`) commits its claim and lease steps itself:
each claim must be visible to other senders before the slow SMTP call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from flask import Flask, flash, g, has_request_context

from app.errors.domain import DomainError
from app.extensions import db


def init_unit_of_work(app: Flask) -> None:
    @app.after_request
    def _end_unit_of_work(response):
        if response.status_code < 400 or g.get("keep_work"):
            db.session.commit()
        else:
            db.session.rollback()
        return response


def decided() -> None:
    """Commit now a request whose writes are done and whose answer is decided, keeping the loaded
    rows as they are: for a write that holds a lock others queue on (a sign-up holds its event's),
    so that the lock is released before the answer is shaped and sent rather than after. What the
    request does next only reads what is loaded; its end then has nothing left to commit."""
    _commit_keeping_rows()


def _commit_keeping_rows() -> None:
    """Commit without expiring the loaded rows: the request reads them on as they were written."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def abandon() -> None:
    """End a transaction an unexpected error broke, before the error page is drawn."""
    db.session.rollback()


def keep_work() -> None:
    """Commit what this request has done so far even if it ends in a refusal."""
    g.keep_work = True


@contextmanager
def savepoint() -> Iterator[None]:
    """Undo only the enclosed work when it raises (a SAVEPOINT on both databases)."""
    with db.session.begin_nested():
        yield


def attempt(action: Callable[[], object], success: str | None = None) -> bool:
    """Run a service for a page. On success flash `success` (or the text the action returns); on a
    domain error undo the action's work and flash its message. The request commits the rest."""
    try:
        with savepoint():
            result = action()
    except DomainError as error:
        flash(" ".join(error.fields.values()) if error.fields else error.message, "error")
        return False
    message = result if isinstance(result, str) else success
    if message:
        flash(message, "success")
    return True


def writes(view):
    """A GET that writes: its transaction takes SQLite's write lock from its first statement."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.writes = True
        return view(*args, **kwargs)

    return wrapper


def one_transaction(command):
    """A CLI command as one unit of work: commit on success, roll back on an error or sys.exit(n)."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except SystemExit as exit_:
            db.session.rollback() if exit_.code else db.session.commit()
            raise
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return wrapper


@contextmanager
def reading_only() -> Iterator[None]:
    """Run the enclosed queries in a transaction of their own that takes no write lock on SQLite
    (finding the caller of a changing request, reading what a write checks before it takes its
    locks), and end it keeping the loaded rows. Inside a transaction already begun (a page's
    savepoint) and on PostgreSQL, whose row locks are taken by the statements that need them, the
    queries simply run in the request's transaction."""
    if db.engine.dialect.name != "sqlite" or not has_request_context() or db.session().in_transaction():
        yield
        return
    g.reading_only = True
    try:
        yield
    finally:
        g.reading_only = False
        _commit_keeping_rows()
