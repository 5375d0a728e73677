"""Commands: `create-user` (an account under the rules of registration), `import-credentials` and
`expire-credentials` (daily)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, g
from flask_babel import gettext as _

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
    @click.option("--lang", type=click.Choice(("zh", "en")), default="zh", help="language of the report")
    def import_credentials_command(path: Path, lang: str):
        """Load the registry from CSV (UTF-8, GBK or UTF-16) or XLSX: 发证单位,编号,持有人,有效期至."""
        from app.auth.registry import import_registry
        from app.auth.registry_files import rows_or_exit

        g.forced_locale = lang
        rows = rows_or_exit(path)
        # Its own transaction, committed before the exit status reports a file of bad rows only:
        # talents the existing registry verified on the way stay verified.
        report = one_transaction(import_registry)(rows)
        for line in report.errors:
            click.echo(line, err=True)
        click.echo(
            _(
                "Imported: %(added)s new, %(updated)s updated, %(verified)s talents verified, %(expired)s expired.",
                added=report.added,
                updated=report.updated,
                verified=report.verified,
                expired=report.expired,
            )
        )
        if not report.imported:
            click.echo(_("Nothing was imported: no line of the file could be used."), err=True)
            sys.exit(1)

    @app.cli.command("expire-credentials")
    @one_transaction
    def expire_credentials_command():
        """Daily: verified talents whose registry entry has expired wait for a review again (and are told)."""
        from app.auth.credentials import expire_lapsed_credentials

        click.echo(f"expired {expire_lapsed_credentials()} credentials")
