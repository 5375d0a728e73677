"""Command: `flask --app wsgi purge-personal-data` (cron-safe)."""

from __future__ import annotations

import click
from flask import Flask, current_app

from app.unit_of_work import one_transaction


def register_commands(app: Flask) -> None:
    @app.cli.command("purge-personal-data")
    @one_transaction
    def purge_personal_data_command():
        """Erase children's details and emergency contacts a configured time after their event (cron-safe)."""
        from app.account.retention import purge_personal_data

        days = current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
        count = purge_personal_data(days)
        click.echo(f"erased the details of {count} participants of events that ended over {days} days ago")
