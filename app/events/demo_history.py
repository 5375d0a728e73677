"""Demo history: finished events of every kind, hosted by each district and jointly over the past seven
weeks, with sign-ups from both districts, check-ins inside their sessions' windows (camps over two
days), walk-ins of a district and of none, no-shows, and two published attendance records.

The events service makes and publishes each event at the time it would have been published; the
attendance service checks people in at the time they came (the row then keeps that time) and closes
or publishes the record after the end. Sign-ups are written as `registrations.register` writes them
(the credential's district, a code, consent, a camp's children checked by its rules), without its
notices: nobody is told today of a place on an event long over. Idempotent by title.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from flask import current_app

from app.attendance import records
from app.attendance import services as attendance
from app.events import children as camp
from app.events import services
from app.events.codes import new_code
from app.events.demo import local_at, room_named
from app.events.places import credential_district
from app.extensions import db
from app.homes.opening import public_holiday_name
from app.models import Event, Participant, Registration, User
from app.timezones import local_today, to_local

WALK_INS = [("赵先生", "liwan"), ("孙同学", "other"), ("钱女士", "nanhai"), ("陆老师", "other"), ("叶女士", "liwan")]
CHILDREN = ["小雨", "乐乐", "子墨", "欣怡", "浩宇", "思彤"]
EVENING, AFTERNOON, TOUR, CAMP = ("19:00", "21:00"), ("14:30", "17:00"), ("09:00", "17:00"), ("09:00", "16:30")


# (weeks ago, weekday with 0 = Monday, kind, its type or theme, host, title, sessions, room or address, capacity)
PAST = [
    (7, 3, "exchange", "salon", "liwan", "荔湾人才茶叙沙龙 · 秋季场", [EVENING], ("liwan", "茶叙交流室"), 10),
    (7, 6, "study_tour", "red_culture", "nanhai", "南海红色足迹研学行", [TOUR], "南海博物馆集合", 30),
    (
        6,
        2,
        "exchange",
        "academic_exchange",
        "nanhai",
        "南海青年学者学术交流会",
        [AFTERNOON],
        ("nanhai", "学术研讨室"),
        16,
    ),
    (6, 5, "exchange", "badminton", "nanhai", "南海人才羽毛球联谊赛", [AFTERNOON], "南海区体育馆", 24),
    (5, 5, "youth_camp", None, "liwan", "荔湾少年非遗研学营", [CAMP, CAMP], "陈家祠", 20),
    (
        4,
        1,
        "exchange",
        "tech_exchange",
        "liwan",
        "荔湾科技人才沙龙 · 人工智能应用",
        [AFTERNOON],
        ("liwan", "培训教室"),
        40,
    ),
    (4, 6, "study_tour", "traditional_culture", "liwan", "荔湾西关文化研学行", [TOUR], "荔枝湾涌集合", 30),
    (3, 5, "youth_camp", None, "nanhai", "南海少年科技探索营", [CAMP, CAMP], "南海润慧科技园", 24),
    (2, 5, "exchange", "hiking", "joint", "荔南人才徒步 · 西樵山秋行", [("08:30", "12:30")], "西樵山景区南门", 40),
    (2, 6, "study_tour", "industry", "joint", "荔南研学 · 产业发展路线（秋季）", [TOUR], "岭南V谷产业园", 30),
    (1, 4, "exchange", "round_table", "joint", "荔南人才发展圆桌 · 年终对话", [AFTERNOON], ("nanhai", "路演厅"), 60),
]
# The events whose attendance record was published; the others' records were closed (no-shows marked).
PUBLISHED_RECORDS = {"荔湾人才茶叙沙龙 · 秋季场", "荔南人才发展圆桌 · 年终对话"}


def _first_day(today: date, weeks: int, weekday: int, days: int) -> date:
    """That weekday `weeks` weeks ago, moved earlier until none of its `days` days is a public holiday."""
    day = today - timedelta(days=today.weekday() + 7 * weeks - weekday)
    while any(public_holiday_name(day + timedelta(days=n)) for n in range(days)):
        day -= timedelta(days=1)
    return day


def _event_data(entry: tuple, today: date) -> dict:
    weeks, weekday, kind, detail, host, title, times, venue, capacity = entry
    first = _first_day(today, weeks, weekday, len(times))
    data = {"kind": kind, "host": host, "title": title, "capacity": capacity, "description": "两区人才共同参与的活动。"}
    if kind == "exchange":
        data["subtype"] = detail
    elif kind == "study_tour":
        data["theme"] = detail
    else:
        data["min_age"], data["max_age"] = 8, 14
    if host == "joint" and kind == "exchange":
        data["quota"] = {"liwan": capacity // 2, "nanhai": capacity // 2}
    data["sessions"] = [
        {
            "start": local_at(first + timedelta(days=n), start).isoformat(),
            "end": local_at(first + timedelta(days=n), end).isoformat(),
            "title": f"第{n + 1}天" if len(times) > 1 else "",
        }
        for n, (start, end) in enumerate(times)
    ]
    room = room_named(*venue) if isinstance(venue, tuple) else None
    data["venue"] = {"room_id": room.id} if room else {"address": venue[1] if isinstance(venue, tuple) else venue}
    return data


def _organiser(host: str) -> User | None:
    email = {"liwan": "organiser.liwan@example.com", "nanhai": "organiser.nanhai@example.com"}.get(host)
    found = db.session.scalar(db.select(User).where(User.email == email)) if email else None
    return found or db.session.scalar(db.select(User).where(User.role == "admin").order_by(User.id))


def _talents() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).where(User.role == "talent", User.talent_status == "verified").order_by(User.id)
        )
    )


def _sign_ups(event: Event, rng: random.Random, talents: list[User], at: datetime) -> list[Registration]:
    """Confirmed places, mostly from the host's district, some from the other; never past a quota or the capacity."""
    home = [t for t in talents if event.host in ("joint", credential_district(t))]
    away = [t for t in talents if t not in home]
    chosen = rng.sample(home, min(len(home), rng.randint(6, 11))) + rng.sample(away, min(len(away), rng.randint(2, 4)))
    taken: dict[str | None, int] = {}
    made = []
    for n, talent in enumerate(chosen):
        district = credential_district(talent)
        children = _children(event, talent, rng) if event.kind == "youth_camp" else []
        places = len(children) or 1
        limit = (event.quota or {}).get(district)
        if sum(taken.values()) + places > event.capacity or (
            limit is not None and taken.get(district, 0) + places > limit
        ):
            continue
        taken[district] = taken.get(district, 0) + places
        when = at + timedelta(hours=5 + 7 * n)
        registration = Registration(
            event_id=event.id,
            user_id=talent.id,
            for_children=bool(children),
            places=places,
            district=district,
            status="confirmed",
            check_in_code=new_code(),
            consent_at=when,
            created_at=when,
            confirmed_at=when,
            consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
            participants=children,
        )
        db.session.add(registration)
        made.append(registration)
    db.session.flush()
    return made


def _children(event: Event, guardian: User, rng: random.Random) -> list[Participant]:
    """One or two children inside the camp's age range, as the camp's rules accept them."""
    first = to_local(event.starts_at).date()
    data = {
        "participants": [
            {
                "name": guardian.name[0] + rng.choice(CHILDREN),
                "birth_date": date(first.year - rng.randint(event.min_age + 1, event.max_age), 3 + n, 12).isoformat(),
                "guardian_relation": rng.choice(["母亲", "父亲"]),
                "emergency_contact": f"1380000{rng.randint(1000, 9999)}",
            }
            for n in range(rng.randint(1, 2))
        ]
    }
    children = camp.clean_children(event, data)
    camp.check_ages(event, children)
    return [
        Participant(
            name=c.name,
            birth_date=c.birth_date,
            guardian_relation=c.guardian_relation,
            emergency_contact=c.emergency_contact,
            health_notes=c.health_notes,
        )
        for c in children
    ]


def _attendance(event: Event, rng: random.Random, registrations: list[Registration], desk: User) -> None:
    """Most come (to each day of a camp, mostly), some never do; a walk-in or two at each session."""
    coming = {r.id for r in registrations if rng.random() < 0.8}
    for number, session in enumerate(event.sessions):
        for registration in registrations:
            if registration.id in coming and (number == 0 or rng.random() < 0.85):
                at = session.starts_at + timedelta(minutes=rng.randint(-40, 25))
                check_in = attendance.check_in_registration(event, registration, desk, session.id, now=at)
                check_in.created_at = at
        for n in range(rng.randint(1, 2)):
            name, district = WALK_INS[(event.id + number + n) % len(WALK_INS)]
            at = session.starts_at + timedelta(minutes=10 + 5 * n)
            walk_in = attendance.add_walk_in(event, desk, name, district, rng.choice([1, 1, 2]), session.id, now=at)
            walk_in.created_at = at
    db.session.flush()


def seed_history(today: date | None = None) -> None:
    today = today or local_today()
    talents = _talents()
    for index, entry in enumerate(PAST):
        weeks, host, title = entry[0], entry[4], entry[5]
        organiser, rng = _organiser(host), random.Random(index)
        if organiser is None or not talents:
            return
        if db.session.scalar(db.select(Event.id).where(Event.title == title)):
            continue
        published_at = local_at(today, "09:00") - timedelta(weeks=weeks + 3)
        event = services.create_event(organiser, _event_data(entry, today), now=published_at)
        services.publish_event(organiser, event.id, now=published_at)
        event.created_at = published_at - timedelta(days=1)
        _attendance(event, rng, _sign_ups(event, rng, talents, published_at), organiser)
        after = event.ends_at + timedelta(days=1)
        if title in PUBLISHED_RECORDS:
            records.publish_attendance(event, organiser, now=after)
        else:
            records.close_attendance(event, now=after)
    db.session.flush()
