"""Command-line interface: `flask --app wsgi <command>`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from app.errors.domain import DomainError
from app.extensions import db
from app.notifications.cli import register_commands as register_notification_commands


def register_cli(app: Flask) -> None:
    register_notification_commands(app)

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load demo data (idempotent): homes, rooms, events, accounts, a small registry."""
        from app.demo import seed_demo

        seed_demo()
        db.session.commit()
        click.echo("Demo data loaded.")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--password", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(["talent", "organiser", "admin"]), default="talent")
    @click.option("--district", type=click.Choice(["liwan", "nanhai"]), default=None)
    @click.option("--credential", default=None, help="ISSUER:NUMBER; verifies the talent")
    def create_user_command(email, password, name, role, district, credential):
        """Create an account."""
        from app.auth.services import create_user

        try:
            user = create_user(email, password, name, role, district, credential)
        except DomainError as error:
            db.session.rollback()
            click.echo(f"error: {error.message}", err=True)
            sys.exit(1)
        db.session.commit()
        click.echo(f"created user {user.id} <{user.email}> ({user.role}, {user.talent_status})")

    @app.cli.command("purge-personal-data")
    def purge_personal_data_command():
        """Erase children's details and emergency contacts a configured time after their event (cron-safe)."""
        from app.account.retention import purge_personal_data

        days = app.config["PERSONAL_DATA_RETENTION_DAYS"]
        count = purge_personal_data(days)
        db.session.commit()
        click.echo(f"erased the details of {count} participants of events that ended over {days} days ago")

    @app.cli.command("import-credentials")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_credentials_command(path: Path):
        """Load the mutual-recognition registry from CSV: issuer,number,holder_name,valid_until."""
        from app.auth.registry import import_registry_csv

        report = import_registry_csv(path.read_text(encoding="utf-8-sig"))
        db.session.commit()
        for line in report.errors:
            click.echo(f"skipped {line}", err=True)
        click.echo(f"added {report.added}, updated {report.updated}, verified {report.verified} pending talents")
        if report.errors and not (report.added or report.updated):
            sys.exit(1)

    from app.attendance.cli import register_commands as register_attendance_commands

    register_attendance_commands(app)

    from app.bookings.cli import register_commands as register_booking_commands

    register_booking_commands(app)
