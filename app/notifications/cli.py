"""The `send-notifications` command: queue due reminders, then deliver the outbox."""

from __future__ import annotations

import click
from flask import Flask

from app.unit_of_work import one_transaction


def register_commands(app: Flask) -> None:
    @app.cli.command("send-notifications")
    @click.option("--batch-size", default=50, show_default=True, help="Messages claimed per transaction.")
    @one_transaction
    def send_notifications_command(batch_size: int):
        """Deliver queued mail and queue reminders (safe from cron at any frequency, and concurrently)."""
        from app.notifications.delivery import send_due
        from app.notifications.reminders import queue_due_reminders

        reminders = queue_due_reminders()  # committed by the first claim of send_due, before any mail goes out
        report = send_due(batch_size=max(batch_size, 1))
        click.echo(
            f"queued {reminders} reminders; sent {report.sent}, "
            f"{report.retrying} to retry later, {report.failed} given up"
        )
