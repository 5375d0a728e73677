"""the two homes and their rooms

The Liwan and Nanhai Talent Homes exist from the start, with their rooms: `db upgrade` alone gives a
service that can take bookings. `seed-demo` later finds them (by district and room name) and adds
only what is missing.

Revision ID: 7a1d2c9e4b10
Revises: 36500c2c34cc
Create Date: 2026-11-30 10:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7a1d2c9e4b10"
down_revision = "36500c2c34cc"
branch_labels = None
depends_on = None

WEEKDAY = ["09:00", "21:00"]
WEEKEND = ["09:00", "17:30"]
HOURS = {"mon": WEEKDAY, "tue": WEEKDAY, "wed": WEEKDAY, "thu": WEEKDAY, "fri": WEEKDAY, "sat": WEEKEND, "sun": WEEKEND}

# Written out here rather than imported: a migration keeps meaning the same whatever the code becomes.
HOMES = [
    (
        "liwan",
        "荔南人才之家（荔湾）· 荔湾区党群服务中心",
        "Talent Home (Liwan) · Liwan Party–Mass Service Centre",
        "广州市荔湾区 · 荔湾区党群服务中心",
        "Liwan Party–Mass Service Centre, Liwan District, Guangzhou",
        [
            ("研讨室 A", "Seminar room A", 12, ["screen", "whiteboard"], False),
            ("研讨室 B", "Seminar room B", 8, ["whiteboard"], False),
            ("培训教室", "Training classroom", 40, ["projector", "microphone", "computer"], False),
            ("多功能厅", "Multi-purpose hall", 120, ["projector", "microphone", "video_conference"], True),
            ("茶叙交流室", "Tea lounge", 10, ["tea_set"], False),
        ],
    ),
    (
        "nanhai",
        "荔南人才之家（南海）· 南海区党群服务中心",
        "Talent Home (Nanhai) · Nanhai Party–Mass Service Centre",
        "佛山市南海区 · 南海区党群服务中心",
        "Nanhai Party–Mass Service Centre, Nanhai District, Foshan",
        [
            ("学术研讨室", "Academic seminar room", 16, ["projector", "whiteboard"], False),
            ("路演厅", "Pitch hall", 80, ["projector", "microphone", "screen"], True),
            ("研修培训室", "Training room", 30, ["projector", "computer"], False),
            ("联谊活动室", "Networking room", 24, ["tea_set", "microphone"], False),
        ],
    ),
]

homes = sa.table(
    "homes",
    sa.column("id", sa.Integer),
    sa.column("district", sa.String),
    sa.column("name", sa.String),
    sa.column("name_en", sa.String),
    sa.column("address", sa.String),
    sa.column("address_en", sa.String),
    sa.column("opening_hours", sa.JSON),
)
rooms = sa.table(
    "rooms",
    sa.column("home_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_en", sa.String),
    sa.column("capacity", sa.Integer),
    sa.column("equipment", sa.JSON),
    sa.column("requires_approval", sa.Boolean),
    sa.column("active", sa.Boolean),
    sa.column("description", sa.String),
    sa.column("version", sa.Integer),
)


def upgrade():
    bind = op.get_bind()
    for district, name, name_en, address, address_en, room_specs in HOMES:
        if bind.execute(sa.select(homes.c.id).where(homes.c.district == district)).first() is not None:
            continue
        bind.execute(
            homes.insert().values(
                district=district,
                name=name,
                name_en=name_en,
                address=address,
                address_en=address_en,
                opening_hours=HOURS,
            )
        )
        home_id = bind.execute(sa.select(homes.c.id).where(homes.c.district == district)).scalar_one()
        bind.execute(
            rooms.insert(),
            [
                {
                    "home_id": home_id,
                    "name": room,
                    "name_en": room_en,
                    "capacity": capacity,
                    "equipment": equipment,
                    "requires_approval": approval,
                    "active": True,
                    "description": "",
                    "version": 0,
                }
                for room, room_en, capacity, equipment, approval in room_specs
            ],
        )


def downgrade():
    # The homes may have bookings and events by now: they stay.
    pass
