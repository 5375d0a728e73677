"""Rows for the attendance tests, made directly with the models."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta

from app.extensions import db
from app.models import Event, EventSession, Participant, Registration
from app.timezones import now_utc

_codes = itertools.count(1)
# The Chinese labels of the figures, as pages show them.
FIGURE_LABELS = {
    "已报名": "registered",
    "报名到场": "attended",
    "爽约": "no_show",
    "现场报名": "walk_ins",
    "到场合计": "present",
}
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    n, digits = next(_codes), []
    for _ in range(8):
        n, r = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[r])
    return "".join(reversed(digits))


def make_event(
    host: str = "liwan",
    kind: str = "exchange",
    status: str = "published",
    start: datetime | None = None,
    sessions: int = 1,
    hours: int = 2,
    title: str = "荔南交流会",
    room_id: int | None = None,
) -> Event:
    """An event whose sessions start on consecutive days at `start` (default: in half an hour, so its
    first session's check-in is open now)."""
    start = start or now_utc().replace(microsecond=0) + timedelta(minutes=30)
    spans = [(start + timedelta(days=n), start + timedelta(days=n, hours=hours)) for n in range(sessions)]
    event = Event(
        kind=kind,
        title=title,
        host=host,
        status=status,
        starts_at=spans[0][0],
        ends_at=spans[-1][1],
        capacity=50,
        room_id=room_id,
        published_at=now_utc() if status != "draft" else None,
    )
    event.sessions = [EventSession(title="", starts_at=s, ends_at=e) for s, e in spans]
    db.session.add(event)
    db.session.commit()
    return event


def register(
    event: Event,
    user,
    places: int = 1,
    status: str = "confirmed",
    district: str | None = None,
    children: list[str] | None = None,
    code: str | None = None,
) -> Registration:
    registration = Registration(
        event_id=event.id,
        user_id=user.id,
        for_children=bool(children),
        status=status,
        places=len(children) if children else places,
        district=district or user.district,
        check_in_code=code or new_code(),
    )
    registration.participants = [
        Participant(name=name, birth_date=date(2014, 5, 1), guardian_relation="母亲", emergency_contact="13900000000")
        for name in children or []
    ]
    db.session.add(registration)
    db.session.commit()
    return registration


def ended(event: Event) -> datetime:
    """A moment after the event."""
    return event.ends_at + timedelta(hours=1)


def figures_on(html: str) -> dict[str, int]:
    """The figures of a page's first <dl class="figures">, by key."""
    block = html.split('<dl class="figures">', 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block, re.S)
    return {FIGURE_LABELS[dt.strip()]: int(dd.strip()) for dt, dd in pairs if dt.strip() in FIGURE_LABELS}
