"""Commands: `create-user` (an account under the rules of registration) and `import-credentials`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from app.errors.domain import DomainError
from app.models.user import DISTRICTS, ROLES
from app.unit_of_work import one_transaction


def register_commands(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--password", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(ROLES), default="talent")
    @click.option("--district", type=click.Choice(DISTRICTS), default=None)
    @click.option("--credential", default=None, help="ISSUER:NUMBER; verifies the talent")
    @one_transaction
    def create_user_command(email, password, name, role, district, credential):
        """Create an account."""
        from app.auth.services import create_user

        try:
            user = create_user(email, password, name, role, district, credential)
        except DomainError as error:
            click.echo(f"error: {error.message}", err=True)
            sys.exit(1)
        click.echo(f"created user {user.id} <{user.email}> ({user.role}, {user.talent_status})")

    @app.cli.command("import-credentials")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_credentials_command(path: Path):
        """Load the mutual-recognition registry from CSV: issuer,number,holder_name,valid_until."""
        from app.auth.registry import import_registry_csv

        # Its own transaction, committed before the exit status reports a file of bad rows only:
        # talents the existing registry verified on the way stay verified.
        report = one_transaction(import_registry_csv)(path.read_text(encoding="utf-8-sig"))
        for line in report.errors:
            click.echo(f"skipped {line}", err=True)
        click.echo(f"added {report.added}, updated {report.updated}, verified {report.verified} pending talents")
        if report.errors and not (report.added or report.updated):
            sys.exit(1)
