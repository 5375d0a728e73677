"""Commands that need the database say plainly when it cannot be reached or has no tables yet."""

from __future__ import annotations

import functools
import sys

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.extensions import db

# Commands that work without the app's tables (or make them).
NO_SCHEMA_NEEDED = {"db", "check", "routes", "shell", "restore", "backup"}
UPGRADE_FIRST = "The database has no tables yet: run `flask --app wsgi db upgrade` first."
EXIT_DATABASE = 3


def database_problem() -> str | None:
    """Why the app's database cannot be used (unreachable, or not migrated), or None."""
    try:  # in the command's own transaction: a second connection would wait for SQLite's write lock
        has_tables = inspect(db.session.connection()).has_table("users")
    except OperationalError as error:
        return unreachable(error)
    return None if has_tables else UPGRADE_FIRST


def unreachable(error: Exception) -> str:
    url = make_url(db.engine.url).render_as_string(hide_password=True)
    reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
    return f"Cannot open the database of DATABASE_URL={url}: {reason}"


def _guarded(callback):
    @functools.wraps(callback)
    def checked(*args, **kwargs):
        problem = database_problem()
        if problem:
            click.echo(problem, err=True)
            sys.exit(EXIT_DATABASE)
        try:
            return click.get_current_context().invoke(callback, *args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            if "no such table" in str(error) or "does not exist" in str(error):
                click.echo(UPGRADE_FIRST, err=True)
                sys.exit(EXIT_DATABASE)
            raise

    return with_appcontext(checked)


def guard_commands(app: Flask) -> None:
    """Every registered command that uses the app's tables checks for them first."""
    for name, command in app.cli.commands.items():
        if name not in NO_SCHEMA_NEEDED and command.callback is not None:
            command.callback = _guarded(command.callback)
