"""Demo history of room use: over the past seven weeks talents of both districts booked the rooms of
both homes (Liwan talents in the Nanhai home, and the other way round). Most bookings were used,
checked in inside their window; some were missed (no-shows, as `process_no_shows` marks them), one
now and then cancelled. Each planned booking has its own title; idempotent by room and title.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.homes.opening import opening_interval
from app.models import Booking, Home, Room, User
from app.timezones import local_datetime, local_today, parse_hhmm

WEEKS = 7
PER_HOME_AND_WEEK = 5
TITLES = [
    ("课题组例会", "seminar"),
    ("读书分享会", "networking"),
    ("创业路演彩排", "training"),
    ("产品设计研讨", "seminar"),
    ("英语角", "networking"),
    ("数据分析培训", "training"),
]
SLOTS = [("10:00", "12:00"), ("14:00", "16:00"), ("16:30", "18:00"), ("19:00", "20:30")]
MAX_NO_SHOWS = 2  # per talent: three would have suspended them
STATUS_OF = {"used": "confirmed", "no_show": "no_show", "cancelled": "cancelled"}


def _outcome(index: int) -> str:
    if index % 11 == 7:
        return "cancelled"
    return "no_show" if index % 5 == 4 else "used"


def _planned(today: date, talents: list[User], homes: list[Home]) -> list[dict]:
    """Working-day bookings in each home's open hours, the bookers taken in turn from both districts."""
    plan = []
    for week in range(1, WEEKS + 1):
        monday = today - timedelta(days=today.weekday() + 7 * week)
        for h, home in enumerate(homes):
            for k in range(PER_HOME_AND_WEEK):
                index = (week * len(homes) + h) * PER_HOME_AND_WEEK + k
                number = ((WEEKS - week) * len(homes) + h) * PER_HOME_AND_WEEK + k + 1  # older ones first
                item = _item(home, monday + timedelta(days=(index * 2) % 5), index, number)
                if item:
                    plan.append(item | {"user": talents[(index * 5) % len(talents)]})
    return plan


def _item(home: Home, day: date, index: int, number: int) -> dict | None:
    """The booking `index` of the plan, on `day` in one of the home's rooms; None when the home is closed then."""
    rooms = [r for r in home.rooms if r.active]
    start, end = SLOTS[index % len(SLOTS)]
    starts_at, ends_at = local_datetime(day, parse_hhmm(start)), local_datetime(day, parse_hhmm(end))
    hours = opening_interval(home, day)
    if not rooms or not hours or starts_at < hours[0] or ends_at > hours[1]:
        return None
    base, purpose = TITLES[index % len(TITLES)]
    room = rooms[index % len(rooms)]
    return {
        "room": room,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "title": f"{base} · 第{number}期",
        "purpose": purpose,
        "attendees": min(room.capacity, 2 + index % 6),
        "outcome": _outcome(index),
    }


def _taken(room: Room, starts_at, ends_at) -> bool:
    """Anything but a cancelled or rejected booking already in that slot (an event's reservation too)."""
    return (
        db.session.scalar(
            db.select(Booking.id)
            .where(
                Booking.room_id == room.id,
                Booking.starts_at < ends_at,
                Booking.ends_at > starts_at,
                Booking.status.in_(("pending", "confirmed", "no_show")),
            )
            .limit(1)
        )
        is not None
    )


def _book(item: dict, no_shows: dict[int, int]) -> None:
    user, outcome = item["user"], item["outcome"]
    if outcome == "no_show" and no_shows.get(user.id, 0) >= MAX_NO_SHOWS:
        outcome = "used"
    booking = Booking(
        room_id=item["room"].id,
        user_id=user.id,
        starts_at=item["starts_at"],
        ends_at=item["ends_at"],
        title=item["title"],
        purpose=item["purpose"],
        attendees=item["attendees"],
        status=STATUS_OF[outcome],
        created_at=item["starts_at"] - timedelta(days=3),
        sequence=0 if outcome == "used" else 1,
    )
    if outcome == "used":
        opens, closes = booking.check_in_window
        booking.checked_in_at = opens + (closes - opens) * (0.2 + 0.1 * (user.id % 5))
    elif outcome == "no_show":
        booking.status_reason = "not checked in"
        no_shows[user.id] = no_shows.get(user.id, 0) + 1
    db.session.add(booking)
    db.session.flush()


def seed_bookings(today: date | None = None) -> None:
    today = today or local_today()
    talents = list(
        db.session.scalars(
            db.select(User).where(User.role == "talent", User.talent_status == "verified").order_by(User.id)
        )
    )
    homes = list(db.session.scalars(db.select(Home).order_by(Home.district)))
    if not talents or not homes:
        return
    no_shows: dict[int, int] = {}
    for item in _planned(today, talents, homes):
        exists = db.select(Booking.id).where(Booking.room_id == item["room"].id, Booking.title == item["title"])
        if db.session.scalar(exists) is None and not _taken(item["room"], item["starts_at"], item["ends_at"]):
            _book(item, no_shows)
