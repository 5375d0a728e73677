"""Command: `flask --app wsgi process-no-shows` (cron-safe, any frequency)."""

from __future__ import annotations

import click
from flask import Flask

from app.unit_of_work import one_transaction


def register_commands(app: Flask) -> None:
    @app.cli.command("process-no-shows")
    @one_transaction
    def process_no_shows_command():
        """Mark bookings not checked in 15 minutes after their start as no-shows; suspend repeat offenders."""
        from app.bookings.services.noshows import process_no_shows

        count = process_no_shows()
        click.echo(f"{count} bookings marked as no-shows")
