"""The one check-in window rule, shared by events' sessions and room bookings.

Something that starts at `start` and ends at `end` can be checked in from `opens_before` minutes
before its start until `closes_after` minutes after its end, both ends included. Each kind of thing
has its own settings (config.py):

- an event's session: CHECK_IN_OPENS_MINUTES before its start to CHECK_IN_CLOSES_MINUTES after its end;
- a room booking: BOOKING_CHECK_IN_OPENS_MINUTES before its start to BOOKING_CHECK_IN_CLOSES_MINUTES
  after its *start* (a booking's window is anchored on its start: its end is passed as the start).

`open_at` and `closed_by` state the rule as bounds on the start and the end, so that one expression
serves both Python (datetimes give a bool) and SQL (columns give a clause): the models' hybrid
methods `check_in_open` / `check_in_closed_by` are built on them, and `CheckInWindow` (the bounds the
pages show) is checked against the same functions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app

from app.timezones import to_local


class CheckInWindow(NamedTuple):
    opens: datetime
    closes: datetime

    def contains(self, now: datetime) -> bool:
        return open_at(self.opens, self.closes, now, ZERO, ZERO)

    def local_text(self) -> tuple[str, str]:
        """Its bounds as the pages and messages show them (Asia/Shanghai, to the minute)."""
        return to_local(self.opens).strftime("%Y-%m-%d %H:%M"), to_local(self.closes).strftime("%Y-%m-%d %H:%M")


ZERO = timedelta(0)


def open_at(start, end, now: datetime, opens_before: timedelta, closes_after: timedelta):
    """The rule: `now` lies in [start - opens_before, end + closes_after], both ends included.

    `start` and `end` may be datetimes (the answer is a bool) or SQL columns (the answer is a clause);
    the margins move to `now`'s side, so the database never does date arithmetic."""
    return (start <= now + opens_before) & (end >= now - closes_after)


def closed_by(end, now: datetime, closes_after: timedelta):
    """The window closed before `now` (the complement of `open_at`'s upper bound), for datetimes or SQL."""
    return end < now - closes_after


def margins(opens_setting: str, closes_setting: str) -> tuple[timedelta, timedelta]:
    """The (before, after) margins named by two settings, in minutes."""
    config = current_app.config
    return timedelta(minutes=config[opens_setting]), timedelta(minutes=config[closes_setting])


def check_in_window(start: datetime, end: datetime, opens_before: timedelta, closes_after: timedelta) -> CheckInWindow:
    return CheckInWindow(start - opens_before, end + closes_after)
