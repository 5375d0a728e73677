"""`flask --app wsgi check`: configuration, database, mail and Redis reachability on one screen."""

from __future__ import annotations

import os
import smtplib
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.ops.guard import database_problem

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def check_configuration(config) -> tuple[bool, str]:
    notes = [f"PUBLIC_BASE_URL={config['PUBLIC_BASE_URL']}", f"SESSION_COOKIE_SECURE={config['SESSION_COOKIE_SECURE']}"]
    if not os.environ.get("SECRET_KEY"):
        notes.insert(0, "SECRET_KEY not set (demo key: fine on this machine, not in production)")
    else:
        notes.insert(0, "SECRET_KEY set")
    return True, "; ".join(notes)


def check_database() -> tuple[bool, str]:
    url = make_url(db.engine.url).render_as_string(hide_password=True)
    problem = database_problem()
    if problem:
        return False, problem
    current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = _migration_head()
    if head and current != head:
        return False, f"{url}: schema at {current}, the code expects {head}: run `flask --app wsgi db upgrade`"
    return True, f"{url}: reachable, schema at {current}"


def _migration_head() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def check_mail(config) -> tuple[bool, str]:
    if not config.get("MAIL_SERVER"):
        return True, "MAIL_SERVER not set: mail is written to the log, not sent"
    where = f"MAIL_SERVER={config['MAIL_SERVER']} MAIL_PORT={config['MAIL_PORT']}"
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=5) as smtp:
            smtp.noop()
    except (OSError, smtplib.SMTPException) as error:
        return False, f"{where}: cannot reach the SMTP server ({error})"
    return True, f"{where}: reachable"


def check_redis(config) -> tuple[bool, str]:
    uri = config.get("RATELIMIT_STORAGE_URI", "memory://")
    if not uri.startswith(("redis://", "rediss://")):
        return True, f"RATELIMIT_STORAGE_URI={uri}: no Redis (limits are counted per process)"
    import redis

    shown = make_url(uri).render_as_string(hide_password=True)
    try:
        redis.from_url(uri, socket_connect_timeout=5).ping()
    except (redis.RedisError, OSError) as error:
        return False, f"RATELIMIT_STORAGE_URI={shown}: cannot reach Redis ({error})"
    return True, f"RATELIMIT_STORAGE_URI={shown}: reachable"


def register_commands(app: Flask) -> None:
    @app.cli.command("check")
    def check_command():
        """Report configuration, database, mail and Redis reachability; exit 1 when one fails."""
        config = current_app.config
        results = [
            ("configuration", check_configuration(config)),
            ("database", _safely(check_database)),
            ("mail", check_mail(config)),
            ("redis", check_redis(config)),
        ]
        for name, (ok, detail) in results:
            click.echo(f"{'ok' if ok else 'FAIL':<4} {name:<14} {detail}")
        if not all(ok for _name, (ok, _detail) in results):
            sys.exit(1)


def _safely(check) -> tuple[bool, str]:
    try:
        return check()
    except Exception as error:  # a check reports what went wrong; it never ends the report
        return False, f"{type(error).__name__}: {error}"
