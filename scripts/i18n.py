"""Translators' round trip: extract the strings, update the zh and en catalogues, compile, report gaps.

Usage (from the project root):
    .venv/bin/python scripts/i18n.py            # extract → update → compile, then list what zh still lacks
    .venv/bin/python scripts/i18n.py --check    # only report; exit 1 if zh has untranslated or fuzzy entries

Updating keeps every existing translation; new strings arrive empty in zh, to be translated in
app/translations/zh/LC_MESSAGES/messages.po. English msgids are the English text, so en stays empty.
The app compiles the .po files itself at start-up (app/i18n.py), so compiling here is only a check.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "app" / "translations"
LOCALES = ("zh", "en")
KEYWORDS = ("_l", "lazy_gettext", "ngettext:1,2", "lazy_ngettext:1,2")


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(pot_path: Path) -> Catalog:
    """Extract every translatable string of app/ (Python and Jinja templates) into a template catalogue."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    pybabel(
        "extract",
        "-F",
        str(MAPPING),
        *keywords,
        "--no-location",
        "--sort-output",
        "--project",
        "Talent Home",
        "-o",
        str(pot_path),
        str(ROOT),
    )
    with pot_path.open("rb") as fh:
        return read_po(fh)


def catalogue_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def update(pot_path: Path) -> None:
    """Create missing catalogues and merge the new template into existing ones, keeping translations."""
    for locale in LOCALES:
        command = "update" if catalogue_path(locale).exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        pybabel(command, "-i", str(pot_path), "-d", str(TRANSLATIONS), "-l", locale, *extra)


def compile_all() -> None:
    pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def gaps(template: Catalog, locale: str = "zh") -> tuple[list[str], list[str]]:
    """(untranslated, fuzzy) msgids of the template as the locale's catalogue has them."""
    with catalogue_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    untranslated, fuzzy = [], []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found else None
        if isinstance(strings, tuple):
            missing = not all(strings)
        else:
            missing = not strings
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if found is None or missing:
            untranslated.append(key)
        elif found.fuzzy:
            fuzzy.append(key)
    return untranslated, fuzzy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report only; exit 1 when zh is incomplete")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pot_path = Path(tmp) / "messages.pot"
        template = extract(pot_path)
        if not args.check:
            update(pot_path)
            compile_all()
        untranslated, fuzzy = gaps(template)
    for label, items in (("untranslated", untranslated), ("fuzzy", fuzzy)):
        for msgid in items:
            print(f"zh {label}: {msgid!r}")
    total = sum(1 for message in template if message.id)
    print(f"{total} strings; zh lacks {len(untranslated)} translations, {len(fuzzy)} fuzzy")
    return 1 if args.check and (untranslated or fuzzy) else 0


if __name__ == "__main__":
    sys.exit(main())
