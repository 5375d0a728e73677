"""The shape of an event as organisers send it (API body or form), checked field by field."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.errors.domain import ValidationFailed
from app.errors.inputs import MAX_INT
from app.events.itinerary import in_order
from app.models.event import HOSTS, KINDS, SUBTYPES, THEMES
from app.models.user import DISTRICTS
from app.text import clean_multiline, text_problem
from app.timezones import parse_datetime

MAX_SESSIONS = 30
# The fields only one kind of event has (the event form shows them for that kind alone).
KIND_FIELDS = {
    "exchange": ("subtype",),
    "study_tour": ("theme", "itinerary"),
    "youth_camp": ("min_age", "max_age", "itinerary"),
}


def _time(value, field: str, errors: dict) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        errors[field] = _("Use an ISO 8601 date and time, e.g. 2026-12-05T09:30+08:00.")
        return None


def _int(value, field: str, errors: dict, low: int, high: int, allow_none: bool = True) -> int | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors[field] = _("Use a whole number from %(low)s to %(high)s.", low=low, high=high)
        return None
    return value


def _text(value, field: str, errors: dict, limit: int, required: bool = False, multiline: bool = False) -> str | None:
    if value is None:
        if required:
            errors[field] = _("This field is required.")
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        errors[field] = _("Enter text of up to %(n)s characters.", n=limit)
        return None
    problem = text_problem(value, multiline)
    if problem:
        errors[field] = problem
        return None
    return clean_multiline(value) if multiline else value.strip()


def _sessions(value, errors: dict) -> list[dict] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_SESSIONS:
        errors["sessions"] = _("Give between 1 and %(n)s sessions.", n=MAX_SESSIONS)
        return None
    sessions = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            errors[f"sessions.{index}"] = _("Each session needs a start and an end.")
            continue
        start = _time(item.get("start"), f"sessions.{index}.start", errors)
        end = _time(item.get("end"), f"sessions.{index}.end", errors)
        if start and end and end <= start:
            errors[f"sessions.{index}.end"] = _("The end must be after the start.")
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        if text_problem(title):
            errors[f"sessions.{index}.title"] = text_problem(title)
        sessions.append({"start": start, "end": end, "title": title.strip()[:200]})
    if not any(k.startswith("sessions") for k in errors):
        sessions.sort(key=lambda s: s["start"])
        for before, after in zip(sessions, sessions[1:], strict=False):
            if after["start"] < before["end"]:
                errors["sessions"] = _("Sessions must not overlap.")
    return sessions


def _itinerary(value, errors: dict) -> list | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > 50:
        errors["itinerary"] = _("The itinerary is a list of up to 50 stops.")
        return None
    stops = []
    for index, stop in enumerate(value):
        if not isinstance(stop, dict) or not isinstance(stop.get("place"), str) or not stop["place"].strip():
            errors[f"itinerary.{index}"] = _("Each stop needs a place.")
            continue
        day = _int(stop.get("day"), f"itinerary.{index}.day", errors, 1, MAX_SESSIONS)
        stop = {
            "time": str(stop.get("time") or "")[:20],
            "place": stop["place"].strip()[:200],
            "description": clean_multiline(str(stop.get("description") or ""))[:500],
            **({"day": day} if day else {}),
        }
        for key in ("time", "place", "description"):
            problem = text_problem(stop[key], multiline=key == "description")
            if problem:
                errors[f"itinerary.{index}.{key}"] = problem
        stops.append(stop)
    return in_order(stops)


def _quota(value, errors: dict) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - set(DISTRICTS):
        errors["quota"] = _('Quota is {"liwan": N, "nanhai": N} or null.')
        return None
    return {d: _int(value.get(d), f"quota.{d}", errors, 0, 10000) for d in DISTRICTS}


def _venue(value, errors: dict) -> dict | None:
    if value is None:
        return None
    if isinstance(value, dict) and "room_id" in value:
        room_id = _int(value.get("room_id"), "venue.room_id", errors, 1, MAX_INT, allow_none=False)
        return {"room_id": room_id}
    if isinstance(value, dict) and "address" in value:
        address = _text(value.get("address"), "venue.address", errors, 300, required=True)
        return {"address": address}
    errors["venue"] = _('The venue is {"room_id": N} or {"address": "…"}.')
    return None


def clean_event_data(data: dict) -> dict:
    """Only the fields present are returned (PATCH replaces what it names). Raises ValidationFailed."""
    errors: dict[str, str] = {}
    out: dict = {}
    if "kind" in data:
        out["kind"] = data["kind"] if data["kind"] in KINDS else errors.setdefault("kind", _("Unknown kind."))
    if "host" in data:
        out["host"] = data["host"] if data["host"] in HOSTS else errors.setdefault("host", _("Unknown host."))
    if "subtype" in data:
        if data["subtype"] is not None and data["subtype"] not in SUBTYPES:
            errors["subtype"] = _("Unknown type of exchange.")
        out["subtype"] = data["subtype"]
    if "theme" in data:
        if data["theme"] is not None and data["theme"] not in THEMES:
            errors["theme"] = _("Unknown theme.")
        out["theme"] = data["theme"]
    simple = {
        "title": lambda v: _text(v, "title", errors, 200, required=True),
        "description": lambda v: _text(v, "description", errors, 10000, multiline=True) or "",
        "capacity": lambda v: _int(v, "capacity", errors, 1, 10000, allow_none=False),
        "min_age": lambda v: _int(v, "min_age", errors, 0, 18),
        "max_age": lambda v: _int(v, "max_age", errors, 0, 18),
        "start": lambda v: _time(v, "start", errors),
        "end": lambda v: _time(v, "end", errors),
        "registration_opens_at": lambda v: _time(v, "registration_opens_at", errors),
        "registration_closes_at": lambda v: _time(v, "registration_closes_at", errors),
        "sessions": lambda v: _sessions(v, errors),
        "itinerary": lambda v: _itinerary(v, errors),
        "quota": lambda v: _quota(v, errors),
        "venue": lambda v: _venue(v, errors),
    }
    for key, check in simple.items():
        if key in data:
            out[key] = check(data[key])
    if errors:
        raise ValidationFailed(errors)
    return out
