"""`backup FILE` and `restore FILE`: SQLite through its online backup API (consistent while the app
runs and writes), PostgreSQL through pg_dump / pg_restore (custom format)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from app.extensions import db


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _sqlite_copy(source, target) -> None:
    """Copy one SQLite database file onto another with SQLite's online backup API: page by page,
    restarting when a writer changes a page already copied."""
    reading = sqlite3.connect(source)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def backup(target: Path) -> str:
    """Write a consistent copy of the database to `target`; returns what was done."""
    url = make_url(db.engine.url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
        return f"SQLite database copied to {target}"
    _run_tool("pg_dump", "--format=custom", "--no-owner", "--file", str(target), _libpq_url(url))
    return f"pg_dump wrote {target}"


def restore(source: Path) -> str:
    """Load a backup into an empty database (one without the app's tables)."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    url = make_url(db.engine.url)
    with db.engine.connect() as connection:
        if inspect(connection).get_table_names():
            raise BackupError("The database is not empty: restore only into a new, empty database.")
    if url.get_backend_name() == "sqlite":
        db.engine.dispose()
        _sqlite_copy(source, _sqlite_path(url))
        return f"{source} restored into {_sqlite_path(url)}"
    _run_tool("pg_restore", "--no-owner", "--exit-on-error", "--dbname", _libpq_url(url), str(source))
    return f"pg_restore loaded {source}"


def _sqlite_path(url) -> str:
    if url.database in (None, "", ":memory:"):
        raise BackupError("DATABASE_URL is an in-memory SQLite database: there is nothing to back up.")
    return url.database


def _libpq_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run_tool(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} was not found: install the PostgreSQL client tools "
            f"(apt-get install postgresql-client) of the server's major version."
        )
    run = subprocess.run([tool, *args], capture_output=True, text=True)
    if run.returncode != 0:
        raise BackupError(f"{tool} failed: {run.stderr.strip()}")


def register_commands(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path):
        """Back up the database to FILE, safely while the app runs."""
        _report(backup, path)

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def restore_command(path: Path):
        """Restore a backup FILE into an empty database."""
        _report(restore, path)


def _report(action, path: Path) -> None:
    try:
        click.echo(action(path))
    except BackupError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
