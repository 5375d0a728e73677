"""The one check-in window rule, shared by events' sessions and room bookings.

Something that starts at `start` and ends at `end` can be checked in from `opens_before` minutes
before its start until `closes_after` minutes after its end, both ends included. Each kind of thing
has its own settings (config.py):

- an event's session: CHECK_IN_OPENS_MINUTES before its start to CHECK_IN_CLOSES_MINUTES after its end;
- a room booking: BOOKING_CHECK_IN_OPENS_MINUTES before its start to BOOKING_CHECK_IN_CLOSES_MINUTES
  after its *start* (a booking's window is anchored on its start: its end is passed as the start).
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
        return self.opens <= now <= self.closes

    def local_text(self) -> tuple[str, str]:
        """Its bounds as the pages and messages show them (Asia/Shanghai, to the minute)."""
        return to_local(self.opens).strftime("%Y-%m-%d %H:%M"), to_local(self.closes).strftime("%Y-%m-%d %H:%M")


def margins(opens_setting: str, closes_setting: str) -> tuple[timedelta, timedelta]:
    """The (before, after) margins named by two settings, in minutes."""
    config = current_app.config
    return timedelta(minutes=config[opens_setting]), timedelta(minutes=config[closes_setting])


def check_in_window(start: datetime, end: datetime, opens_before: timedelta, closes_after: timedelta) -> CheckInWindow:
    return CheckInWindow(start - opens_before, end + closes_after)
