"""Statistics checked against figures counted by hand on a seeded week (3–9 March 2025, no holidays)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from attendance_factories import make_event, register
from openpyxl import load_workbook

from app.attendance.stats import StatsFilter, statistics
from app.extensions import db
from app.models import Booking, CheckIn
from app.timezones import parse_datetime

WEEK = StatsFilter(date(2025, 3, 3), date(2025, 3, 9))


def local(text: str):
    """'2025-03-03 10:00' in Asia/Shanghai as aware UTC."""
    return parse_datetime(text.replace(" ", "T"))


def _booking(room, user, start, end, status="confirmed", checked=False, session_id=None):
    db.session.add(
        Booking(
            room_id=room.id,
            user_id=user.id,
            event_session_id=session_id,
            starts_at=local(start),
            ends_at=local(end),
            title="t",
            status=status,
            checked_in_at=local(start) if checked else None,
        )
    )


def _check_in(event, registration, session=0):
    db.session.add(
        CheckIn(
            event_id=event.id,
            session_id=event.sessions[session].id,
            registration_id=registration.id,
            places=registration.places,
        )
    )


@pytest.fixture
def seeded(homes, make_user):
    """Three events held in the week, one cancelled, one later, one draft; bookings in both homes.

    Liwan keeps two active rooms (77 open hours a room that week: 5 × 12 h + 2 × 8.5 h), Nanhai four.
    """
    liwan_rooms = homes["liwan"].rooms
    for extra in liwan_rooms[2:]:
        extra.active = False
    r_liwan, r_nanhai = liwan_rooms[0], homes["nanhai"].rooms[0]
    a, e, f = (make_user(district="liwan") for _ in range(3))
    b, c, g = (make_user(district="nanhai") for _ in range(3))
    organiser = make_user("organiser", district="liwan")

    e1 = make_event(host="liwan", kind="exchange", start=local("2025-03-04 10:00"), room_id=r_liwan.id)
    _check_in(e1, register(e1, a, places=2))
    register(e1, b)
    _check_in(e1, register(e1, c))
    register(e1, make_user(district="nanhai"), status="waitlisted")
    db.session.add(CheckIn(event_id=e1.id, session_id=e1.sessions[0].id, walk_in_name="路人", walk_in_district="liwan"))

    e2 = make_event(host="nanhai", kind="study_tour", start=local("2025-03-06 09:00"))
    _check_in(e2, register(e2, a))
    register(e2, e, places=2)
    _check_in(e2, register(e2, b))

    e3 = make_event(host="joint", kind="youth_camp", start=local("2025-03-08 09:00"), sessions=2)
    _check_in(e3, register(e3, f, children=["甲", "乙"]), session=1)
    register(e3, g, children=["丙"])

    for status, start in (
        ("cancelled", "2025-03-05 10:00"),
        ("published", "2025-03-20 10:00"),
        ("draft", "2025-03-05 14:00"),
    ):
        event = make_event(status=status, start=local(start))
        _check_in(event, register(event, a))

    _booking(r_liwan, a, "2025-03-03 10:00", "2025-03-03 12:00")
    _booking(r_liwan, b, "2025-03-04 14:00", "2025-03-04 17:00", checked=True)
    _booking(r_liwan, c, "2025-03-05 09:00", "2025-03-05 10:00", status="no_show")
    _booking(r_liwan, c, "2025-03-05 11:00", "2025-03-05 13:00", status="cancelled")
    _booking(r_liwan, b, "2025-03-06 15:00", "2025-03-06 16:00", status="pending")
    _booking(r_liwan, organiser, "2025-03-04 10:00", "2025-03-04 12:00", session_id=e1.sessions[0].id)
    _booking(r_liwan, a, "2025-03-02 23:30", "2025-03-03 00:30")  # half of it inside the week
    _booking(r_nanhai, a, "2025-03-07 09:00", "2025-03-07 13:00")
    _booking(r_nanhai, b, "2025-03-07 14:00", "2025-03-07 15:00")
    _booking(r_nanhai, organiser, "2025-03-06 10:00", "2025-03-06 11:00")
    db.session.commit()
    return organiser


def test_event_figures(seeded):
    figures = statistics(WEEK)
    assert figures["summary"] == {
        "events": 3,
        "registered": 11,  # 4 + 4 + 3 confirmed places
        "attended": 7,  # 3 + 2 + 2
        "walk_ins": 1,
        "present": 8,
        "no_show": 4,
        "attendance_rate": 0.636,
        "no_show_rate": 0.364,
    }
    kinds = {
        k: (v["events"], v["registered"], v["attended"], v["attendance_rate"]) for k, v in figures["by_kind"].items()
    }
    assert kinds == {"exchange": (1, 4, 3, 0.75), "study_tour": (1, 4, 2, 0.5), "youth_camp": (1, 3, 2, 0.667)}
    assert figures["by_host"]["joint"]["registered"] == 3
    districts = {
        d: (f["registered"], f["attended"], f["no_show"], f["walk_ins"]) for d, f in figures["by_district"].items()
    }
    assert districts == {"liwan": (7, 5, 2, 1), "nanhai": (4, 2, 2, 0), "other": (0, 0, 0, 0)}
    assert list(figures["by_month"]) == ["2025-03"]


@pytest.mark.parametrize(
    ("district", "kind", "expected"),
    [
        ("liwan", None, (2, 7, 5)),
        ("nanhai", None, (2, 7, 4)),
        (None, "study_tour", (1, 4, 2)),
        ("liwan", "study_tour", (0, 0, 0)),
    ],
)
def test_filters(seeded, district, kind, expected):
    summary = statistics(StatsFilter(WEEK.start, WEEK.end, district, kind))["summary"]
    assert (summary["events"], summary["registered"], summary["attended"]) == expected


def test_room_use_per_home(seeded):
    use = {u["district"]: u for u in statistics(WEEK)["room_use"]}
    # Liwan: 2 + 3 + 1 (no-show) + 2 (event) + 0.5 (clipped) booked hours of 2 rooms × 77 open hours.
    assert (use["liwan"]["rooms"], use["liwan"]["open_hours"], use["liwan"]["open_room_hours"]) == (2, 77, 154)
    assert (use["liwan"]["booked_hours"], use["liwan"]["use_rate"]) == (8.5, 0.055)
    # Nanhai: 4 + 1 + 1 (an organiser's booking still uses the room) of 4 rooms × 77.
    assert (use["nanhai"]["open_room_hours"], use["nanhai"]["booked_hours"], use["nanhai"]["use_rate"]) == (
        308,
        6,
        0.019,
    )


def test_room_use_closes_on_public_holidays(homes):
    # 1–3 October 2025 are National Day holidays: the home is closed all three days.
    use = statistics(StatsFilter(date(2025, 10, 1), date(2025, 10, 3), "liwan"))["room_use"]
    assert [u["open_hours"] for u in use] == [0]
    assert use[0]["use_rate"] is None


def test_cross_district_use(seeded):
    cross = statistics(WEEK)["cross_district"]
    pairs = {(p["from"], p["to"]): (p["bookings"], p["booked_hours"], p["registrations"]) for p in cross["pairs"]}
    assert pairs == {
        ("liwan", "liwan"): (1, 2, 2),  # the booking from 2 March does not start in the week
        ("nanhai", "liwan"): (2, 4, 2),
        ("liwan", "nanhai"): (1, 4, 3),
        ("nanhai", "nanhai"): (1, 1, 1),
    }
    assert cross["joint"] == {"liwan": 2, "nanhai": 1}
    assert cross["cross_share"] == {
        "liwan": {"bookings": 0.667, "registrations": 0.5},
        "nanhai": {"bookings": 0.5, "registrations": 0.75},
    }


def test_statistics_page_and_csv(seeded, login):
    client = login(seeded)
    page = client.get("/statistics?start=2025-03-03&end=2025-03-09")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<div class="chart" aria-hidden="true">') == 5 and "63.6%" in html
    response = client.get("/statistics.csv?start=2025-03-03&end=2025-03-09&district=liwan")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="statistics-2025-03-03-2025-03-09.csv"'
    text = response.data.decode("utf-8-sig")
    for code in ("section", "summary", "study_tour", "room_use", "liwan", "nanhai", "->", "registered"):
        assert code not in text
    sections, current = {}, None
    for row in csv.reader(io.StringIO(text)):
        if len(row) == 1:
            current = sections.setdefault(row[0], [])
        elif row and current is not None:
            current.append(row)
    assert {"按月趋势", "按类型", "按区", "各人才之家功能室使用率", "跨区使用"} <= set(sections)
    kinds = {row[0]: row for row in sections["按类型"]}
    assert kinds["类型"][:3] == ["类型", "已举办活动", "已报名"]
    assert kinds["研学活动"][1:3] == ["0", "0"] and kinds["全部"][2] == "7"  # Nanhai's study tour is filtered out
    rooms = sections["各人才之家功能室使用率"]
    assert len(rooms) == 3 and rooms[1][-1] == "5.5%" and rooms[-1][0] == "合计"  # header, Liwan's home, total
    cross = {(row[0], row[1]): row for row in sections["跨区使用"]}
    assert cross[("南海", "荔湾")][2] == "2"


def test_statistics_xlsx_has_a_sheet_a_table(seeded, login):
    response = login(seeded).get("/statistics.xlsx?start=2025-03-03&end=2025-03-09")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames[:4] == ["按月趋势", "按类型", "按主办方", "按区"]
    sheet = workbook["按区"]
    assert sheet["A1"].value.startswith("数据统计") and "2025-03-03" in sheet["A1"].value
    assert [c.value for c in sheet[3]][:5] == ["荔湾", 7, 5, 2, 1] and sheet["G3"].number_format == "0.0%"
    totals = [c.value for c in sheet[sheet.max_row]]
    assert totals[:3] == ["合计", 11, 7] and isinstance(totals[6], float)
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")


@pytest.mark.parametrize(
    "query", ["start=2025-03-09&end=2025-03-01", "start=yesterday", "kind=party", "district=beijing"]
)
def test_statistics_refuses_bad_filters(seeded, login, query):
    assert login(seeded).get(f"/statistics?{query}").status_code == 422


def test_statistics_are_for_organisers(make_user, login, client):
    assert client.get("/statistics").status_code == 302
    assert login(make_user()).get("/statistics").status_code == 403
    assert client.get("/statistics.csv").status_code == 403
    client.post("/logout")
    assert login(make_user("organiser", district="nanhai")).get("/statistics").status_code == 200
