"""Demo data for `flask seed-demo`: both homes, their rooms, accounts, a small registry, and a past
(finished events, used and missed bookings) so that every figure has data. Idempotent."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app

from app.auth.services import create_user
from app.extensions import db
from app.models import Home, RegistryEntry, Room, User
from app.unit_of_work import one_transaction

WEEKDAY_HOURS = ["09:00", "21:00"]
WEEKEND_HOURS = ["09:00", "17:30"]

HOMES = [
    {
        "district": "liwan",
        "name": "荔南人才之家（荔湾）· 荔湾区党群服务中心",
        "name_en": "Talent Home (Liwan) · Liwan Party–Mass Service Centre",
        "address": "广州市荔湾区 · 荔湾区党群服务中心",
        "address_en": "Liwan Party–Mass Service Centre, Liwan District, Guangzhou",
        "rooms": [
            ("研讨室 A", "Seminar room A", 12, ["screen", "whiteboard"], False),
            ("研讨室 B", "Seminar room B", 8, ["whiteboard"], False),
            ("培训教室", "Training classroom", 40, ["projector", "microphone", "computer"], False),
            ("多功能厅", "Multi-purpose hall", 120, ["projector", "microphone", "video_conference"], True),
            ("茶叙交流室", "Tea lounge", 10, ["tea_set"], False),
        ],
    },
    {
        "district": "nanhai",
        "name": "荔南人才之家（南海）· 南海区党群服务中心",
        "name_en": "Talent Home (Nanhai) · Nanhai Party–Mass Service Centre",
        "address": "佛山市南海区 · 南海区党群服务中心",
        "address_en": "Nanhai Party–Mass Service Centre, Nanhai District, Foshan",
        "rooms": [
            ("学术研讨室", "Academic seminar room", 16, ["projector", "whiteboard"], False),
            ("路演厅", "Pitch hall", 80, ["projector", "microphone", "screen"], True),
            ("研修培训室", "Training room", 30, ["projector", "computer"], False),
            ("联谊活动室", "Networking room", 24, ["tea_set", "microphone"], False),
        ],
    },
]

ACCOUNTS = [
    ("admin@example.com", "Admin12345", "管理员 Admin", "admin", None, None),
    ("organiser.liwan@example.com", "Organiser123", "荔湾组织者 Liwan organiser", "organiser", "liwan", None),
    ("organiser.nanhai@example.com", "Organiser123", "南海组织者 Nanhai organiser", "organiser", "nanhai", None),
    ("talent.liwan@example.com", "Talent12345", "陈晓荔 Chen Xiaoli", "talent", "liwan", "liwan_yingcai:LW2026001"),
    (
        "talent.nanhai@example.com",
        "Talent12345",
        "梁海鹏 Liang Haipeng",
        "talent",
        "nanhai",
        "nanhai_kunpeng:NH2026001",
    ),
]

REGISTRY = [
    ("liwan_yingcai", "LW2026001", "陈晓荔"),
    ("liwan_yingcai", "LW2026002", "黄思远"),
    ("liwan_yingcai", "LW2026003", "李嘉欣"),
    ("nanhai_kunpeng", "NH2026001", "梁海鹏"),
    ("nanhai_kunpeng", "NH2026002", "何志明"),
    ("foshan_youyue", "FS2026001", "冯静怡"),
]


# Talents who fill the demo's past: (e-mail name, name, issuer, number). Their password is Talent12345.
CROWD = [
    ("zhou.mingzhe", "周明哲", "liwan_yingcai", "LW2025101"),
    ("wu.yutong", "吴雨桐", "liwan_yingcai", "LW2025102"),
    ("zheng.haoran", "郑浩然", "liwan_yingcai", "LW2025103"),
    ("lin.shuyi", "林书怡", "liwan_yingcai", "LW2025104"),
    ("xie.zihan", "谢子涵", "liwan_yingcai", "LW2025105"),
    ("guo.ruoxi", "郭若曦", "liwan_yingcai", "LW2025106"),
    ("deng.kaiwen", "邓凯文", "liwan_yingcai", "LW2025107"),
    ("pan.jiayi", "潘佳怡", "nanhai_kunpeng", "NH2025101"),
    ("luo.junjie", "罗俊杰", "nanhai_kunpeng", "NH2025102"),
    ("ou.xiaotong", "区晓彤", "nanhai_kunpeng", "NH2025103"),
    ("tan.weiqiang", "谭伟强", "nanhai_kunpeng", "NH2025104"),
    ("mai.yongxin", "麦咏欣", "nanhai_kunpeng", "NH2025105"),
    ("cen.zhuoyao", "岑卓瑶", "nanhai_kunpeng", "NH2025106"),
    ("liang.jinghua", "梁景华", "foshan_youyue", "FS2025101"),
]
CROWD_PASSWORD = "Talent12345"


def opening_hours() -> dict:
    hours = {day: WEEKDAY_HOURS for day in ("mon", "tue", "wed", "thu", "fri")}
    hours.update({"sat": WEEKEND_HOURS, "sun": WEEKEND_HOURS})
    return hours


def seed_homes() -> None:
    for spec in HOMES:
        home = db.session.scalar(db.select(Home).where(Home.district == spec["district"]))
        if home is None:
            home = Home(district=spec["district"], opening_hours=opening_hours())
            db.session.add(home)
        for key in ("name", "name_en", "address", "address_en"):
            setattr(home, key, spec[key])
        db.session.flush()
        existing = {r.name for r in home.rooms}
        for name, name_en, capacity, equipment, approval in spec["rooms"]:
            if name not in existing:
                db.session.add(
                    Room(
                        home_id=home.id,
                        name=name,
                        name_en=name_en,
                        capacity=capacity,
                        equipment=equipment,
                        requires_approval=approval,
                    )
                )
    db.session.flush()


def seed_accounts() -> None:
    for email, password, name, role, district, credential in ACCOUNTS:
        if db.session.scalar(db.select(User.id).where(User.email == email)) is None:
            create_user(email, password, name, role, district, credential)
    for issuer, number, holder in REGISTRY:
        if (
            db.session.scalar(
                db.select(RegistryEntry.id).where(RegistryEntry.issuer == issuer, RegistryEntry.number == number)
            )
            is None
        ):
            db.session.add(
                RegistryEntry(issuer=issuer, number=number, holder_name=holder, valid_until=date(2028, 12, 31))
            )
    db.session.flush()


def seed_crowd() -> None:
    """The crowd's accounts, verified as `create_user` makes them; they share one password hash so
    that seeding stays fast."""
    from werkzeug.security import generate_password_hash

    from app.auth.tokens import new_calendar_token
    from app.events.places import ISSUER_DISTRICT
    from app.timezones import now_utc

    known = set(db.session.scalars(db.select(User.email).where(User.email.like("%@example.com"))))
    missing = [c for c in CROWD if f"{c[0]}@example.com" not in known]
    password_hash = generate_password_hash(CROWD_PASSWORD) if missing else ""
    for login, name, issuer, number in missing:
        db.session.add(
            User(
                email=f"{login}@example.com",
                name=name,
                password_hash=password_hash,
                role="talent",
                district=ISSUER_DISTRICT[issuer],
                credential_issuer=issuer,
                credential_number=number,
                talent_status="verified",
                verified_at=now_utc(),
                calendar_token=new_calendar_token(),
                consent_at=now_utc(),
                consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
            )
        )
    db.session.flush()


def seed_demo() -> None:
    from app.bookings.demo import seed_bookings
    from app.events.demo import seed_events
    from app.events.demo_history import seed_history

    seed_homes()
    seed_accounts()
    seed_crowd()
    seed_events()
    seed_history()
    seed_bookings()


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @one_transaction
    def seed_demo_command():
        """Load demo data (idempotent): homes, rooms, accounts, a small registry, events to come and past ones."""
        seed_demo()
        click.echo("Demo data loaded.")
