"""Commands: `import-holidays FILE`, a year's public holidays and make-up working days from the State
Council's notice."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, g
from flask_babel import gettext as _

from app.unit_of_work import one_transaction


def register_commands(app: Flask) -> None:
    @app.cli.command("import-holidays")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--lang", type=click.Choice(("zh", "en")), default="zh", help="language of the report")
    @one_transaction
    def import_holidays_command(path: Path, lang: str):
        """Replace each year the CSV names with its lines: 日期,类型,中文名称,英文名称 or date,kind,name_zh,name_en."""
        from app.admin.holiday_services import import_holidays
        from app.auth.registry_files import rows_or_exit

        g.forced_locale = lang
        report = import_holidays(rows_or_exit(path))
        for line in report.errors:
            click.echo(line, err=True)
        if report.errors:
            click.echo(_("Nothing was imported: correct the lines above and run the command again."), err=True)
            sys.exit(1)
        for year, stored in report.stored.items():
            click.echo(
                _(
                    "%(year)s: %(stored)s dates stored, replacing %(replaced)s.",
                    year=year,
                    stored=stored,
                    replaced=report.replaced[year],
                )
            )
