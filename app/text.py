"""Text fit to store and show. One-line values (titles, names, addresses) hold no control characters;
multi-line values (descriptions, reasons) may hold line breaks, kept as LF. The forms' validators
(app/fields.py) and the services behind the API ask the same `text_problem`."""

from __future__ import annotations

import re

from flask_babel import gettext as _

# C0 and C1 controls (line breaks and tabs among them), DEL, and the Unicode line and paragraph separators.
CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
NOT_ONE_LINE = re.compile(f"[{CONTROLS}]")
NOT_MULTI_LINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_RUN = re.compile(f"[{CONTROLS}]+")


def normalise_newlines(value: str) -> str:
    """CRLF (what browsers send from a textarea) and lone CR become LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def text_problem(value: object, multiline: bool = False) -> str | None:
    """Why a text cannot be stored as a one-line (or, with `multiline`, a multi-line) value, or None.
    Values that are not strings are left to the caller's other checks."""
    if not isinstance(value, str):
        return None
    if multiline:
        if NOT_MULTI_LINE.search(normalise_newlines(value)):
            return _("Remove the control characters from this text.")
        return None
    if NOT_ONE_LINE.search(value):
        return _("Use a single line, without line breaks or control characters.")
    return None


def clean_multiline(value: str) -> str:
    """A multi-line value as stored: LF line breaks, no surrounding blanks."""
    return normalise_newlines(value).strip()


def one_line(value: str | None) -> str:
    """Stored text made fit for a single line (a mail subject, a calendar summary), whatever it holds:
    each run of control characters becomes one space."""
    return CONTROL_RUN.sub(" ", value or "").strip()


def plain_lines(value: str | None) -> str:
    """Stored text made fit for a multi-line field (a calendar description, a spreadsheet cell):
    LF line breaks and no other control characters."""
    return NOT_MULTI_LINE.sub(" ", normalise_newlines(value or ""))


def checked_reason(reason: str | None, limit: int = 500) -> str:
    """A reason given with a decision (multi-line, shortened to `limit`); control characters other than
    line breaks are refused with a ValidationFailed naming `reason`."""
    from app.errors.domain import ValidationFailed

    problem = text_problem(reason, multiline=True)
    if problem:
        raise ValidationFailed({"reason": problem}, problem)
    return clean_multiline(reason or "")[:limit]
