"""Command-line interface: `flask --app wsgi <command>`; each feature registers its own commands."""

from __future__ import annotations

from flask import Flask

from app.account.cli import register_commands as register_account_commands
from app.admin.cli import register_commands as register_admin_commands
from app.attendance.cli import register_commands as register_attendance_commands
from app.auth.cli import register_commands as register_auth_commands
from app.bookings.cli import register_commands as register_booking_commands
from app.demo import register_commands as register_demo_commands
from app.notifications.cli import register_commands as register_notification_commands
from app.ops.backup import register_commands as register_backup_commands
from app.ops.check import register_commands as register_check_commands
from app.ops.guard import guard_commands


def register_cli(app: Flask) -> None:
    for register in (
        register_demo_commands,
        register_auth_commands,
        register_account_commands,
        register_notification_commands,
        register_attendance_commands,
        register_booking_commands,
        register_check_commands,
        register_backup_commands,
        register_admin_commands,
    ):
        register(app)
    guard_commands(app)
