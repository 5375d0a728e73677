"""Asia/Shanghai at the edges, aware UTC inside."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
# Times outside these years are input mistakes (and old years carry odd local-mean-time offsets).
MIN_YEAR, MAX_YEAR = 2000, 2100


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """An aware time as UTC (a row not yet read back may still hold the local time it was given)."""
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return value.astimezone(LOCAL_TZ)


def local_today(now: datetime | None = None) -> date:
    return to_local(now or now_utc()).date()


def local_datetime(day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock time in Asia/Shanghai."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = local_datetime(day, time(0, 0))
    return start, start + timedelta(days=1)


def parse_datetime(value: str) -> datetime:
    """ISO 8601; without an offset the time is read as Asia/Shanghai. Raises ValueError."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("empty")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError("year out of range")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed.astimezone(UTC)


def iso_local(value: datetime | None) -> str | None:
    """API output: ISO 8601 with +08:00."""
    if value is None:
        return None
    return to_local(value).isoformat(timespec="seconds")


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def parse_date(value: str) -> date:
    """YYYY-MM-DD within the supported years. Raises ValueError."""
    parsed = date.fromisoformat(value)
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError("year out of range")
    return parsed
