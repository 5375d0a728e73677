"""Command: `flask --app wsgi close-attendance` marks the no-shows of ended events (cron-safe)."""

from __future__ import annotations

import click
from flask import Flask

from app.unit_of_work import one_transaction


def register_commands(app: Flask) -> None:
    @app.cli.command("close-attendance")
    @one_transaction
    def close_attendance_command():
        """Mark confirmed sign-ups never checked in as no-shows, for every event that has ended."""
        from app.attendance.records import close_ended_events

        events, marked = close_ended_events()
        click.echo(f"closed attendance of {events} ended events: {marked} no-shows marked")
