"""Demo events of every kind from the brief, dated in the coming weeks. Idempotent by title."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.events import services
from app.extensions import db
from app.models import Event, Home, Room, User
from app.timezones import local_datetime, local_today

ROUTES = [
    (
        "red_culture",
        "荔南研学 · 红色文化路线",
        [("09:00", "广州起义烈士陵园"), ("11:00", "三元里人民抗英斗争纪念馆"), ("14:30", "南海博物馆")],
    ),
    (
        "traditional_culture",
        "荔南研学 · 传统文化路线",
        [("09:00", "陈家祠"), ("11:00", "荔枝湾涌"), ("14:30", "西樵山")],
    ),
    (
        "industry",
        "荔南研学 · 产业发展路线",
        [("09:30", "岭南V谷产业园"), ("11:00", "珠江钢琴创梦园"), ("14:30", "南海润慧科技园")],
    ),
    ("rural_revitalisation", "荔南研学 · 乡村振兴路线", [("09:00", "海北村"), ("14:00", "松塘村")]),
    ("party_services", "荔南研学 · 党群服务路线", [("09:30", "荔湾区党群服务中心"), ("14:30", "南海区党群服务中心")]),
]


def _next_saturday(today: date, weeks: int) -> date:
    return today + timedelta(days=(5 - today.weekday()) % 7 + 7 * weeks)


def local_at(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return local_datetime(day, time(int(hours), int(minutes)))


def room_named(district: str, name: str) -> Room | None:
    return db.session.scalar(db.select(Room).join(Home).where(Home.district == district, Room.name == name))


def _specs(today: date) -> list[dict]:
    sat = _next_saturday(today, 1)
    specs = [
        dict(
            kind="exchange",
            subtype="hiking",
            title="荔南人才徒步 · 白云山—西樵山",
            host="joint",
            start=local_at(sat, "08:30"),
            end=local_at(sat, "12:30"),
            capacity=60,
            quota={"liwan": 30, "nanhai": 30},
            venue={"address": "白云山南门集合"},
            description="两区人才携手徒步，以行会友。",
        ),
        dict(
            kind="exchange",
            subtype="badminton",
            title="荔南人才羽毛球友谊赛",
            host="nanhai",
            start=local_at(sat + timedelta(days=7), "14:00"),
            end=local_at(sat + timedelta(days=7), "17:30"),
            capacity=32,
            venue={"address": "南海区体育馆"},
            description="两区人才羽毛球友谊赛，单打与双打。",
        ),
        dict(
            kind="exchange",
            subtype="tech_exchange",
            title="科技人才交流会",
            host="liwan",
            start=local_at(sat - timedelta(days=3), "14:00"),
            end=local_at(sat - timedelta(days=3), "17:00"),
            capacity=40,
            room=("liwan", "培训教室"),
            description="聚焦产业创新的科技人才交流。",
        ),
        dict(
            kind="exchange",
            subtype="round_table",
            title="人才合作赋能高质量发展圆桌论坛",
            host="joint",
            start=local_at(sat + timedelta(days=4), "14:30"),
            end=local_at(sat + timedelta(days=4), "17:00"),
            capacity=60,
            room=("nanhai", "路演厅"),
            description="文旅融合、人才发展、产业创新嘉宾对话。",
        ),
    ]
    for weeks, (theme, title, stops) in enumerate(ROUTES, start=1):
        day = _next_saturday(today, weeks) + timedelta(days=1)
        specs.append(
            dict(
                kind="study_tour",
                title=title,
                host="joint",
                theme=theme,
                capacity=30,
                start=local_at(day, stops[0][0]),
                end=local_at(day, "17:00"),
                venue={"address": stops[0][1]},
                itinerary=[{"time": t, "place": p, "description": ""} for t, p in stops],
                description="荔南研学路线，全程讲解。",
            )
        )
    camp = _next_saturday(today, 3)
    specs.append(
        dict(
            kind="youth_camp",
            title="「同心逐梦·点亮未来」荔南青少年科技研学营",
            host="joint",
            capacity=40,
            min_age=8,
            max_age=14,
            venue={"address": "广州3D打印产业园 · 南海润慧科技园"},
            sessions=[
                {
                    "start": local_at(camp + timedelta(days=n), "09:00"),
                    "end": local_at(camp + timedelta(days=n), "16:30"),
                }
                for n in range(3)
            ],
            description="面向8至14岁青少年的三天科技研学营，由家长或监护人报名。",
        )
    )
    return specs


def seed_events(today: date | None = None) -> None:
    today = today or local_today()
    admin = db.session.scalar(db.select(User).where(User.role == "admin").order_by(User.id))
    if admin is None:
        return
    for spec in _specs(today):
        if db.session.scalar(db.select(Event.id).where(Event.title == spec["title"])):
            continue
        room = spec.pop("room", None)
        if room:
            found = room_named(*room)
            spec["venue"] = {"room_id": found.id} if found else {"address": room[1]}
        for key in ("start", "end"):
            if key in spec:
                spec[key] = spec[key].isoformat()
        for session in spec.get("sessions", []):
            session["start"], session["end"] = session["start"].isoformat(), session["end"].isoformat()
        event = services.create_event(admin, spec)
        services.publish_event(admin, event.id)
    db.session.flush()
