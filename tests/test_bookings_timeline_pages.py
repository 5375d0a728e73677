"""The timeline on the find page, a home's schedule and a room's week: one block per booking, the
search carried to the booking form, titles for the home's organisers only, a focusable region."""

from __future__ import annotations

import re

from bookings_factories import add_booking, iso, workday

from app.extensions import db
from app.models import Room
from app.timezones import parse_datetime


def _book(room, user, day, start, end, **fields):
    return add_booking(room, user, parse_datetime(iso(day, start)), parse_datetime(iso(day, end)), **fields)


def test_find_page_carries_the_search_to_the_booking_form(homes, client):
    day = workday()
    page = client.get(
        f"/bookings/find?home=liwan&date={day}&start=14:00&end=16:00&min_capacity=6&equipment=projector"
    ).get_data(as_text=True)
    query = rf"/book\?date={day}&amp;start=14:00&amp;end=16:00&amp;min_capacity=6&amp;equipment=projector"
    assert len(re.findall(rf'<a class="button primary" href="/rooms/\d+{query}"', page)) >= 1  # a free room's card
    assert len(re.findall(rf'<td class="tl-free tl-searched">\s*<a href="/rooms/\d+{query}"', page)) >= 1
    assert re.search(r'<div class="tl-scroll" tabindex="0" role="region" aria-label="[^"]+" data-timeline>', page)
    assert 'id="searched-time"' in page and 'href="#searched-time"' in page
    assert re.search(r'<th scope="col" colspan="2" class="tl-hour tl-focus" data-focus id="searched-time">14:00', page)


def test_talents_see_yours_and_booked_never_titles(homes, room, make_user, client, login):
    day, talent = workday(), make_user()
    _book(room, make_user(name="Hidden Person"), day, "10:00", "12:00", title="Secret title")
    _book(room, talent, day, "15:00", "16:00", title="My own")
    login(talent)
    page = client.get(f"/bookings/find?home=liwan&date={day}").get_data(as_text=True)
    assert "Hidden Person" not in page and "Secret title" not in page and "My own" not in page
    assert re.search(r'colspan="4" class="tl-block tl-booked"', page)
    assert re.search(r'colspan="2" class="tl-block tl-yours"', page)
    when = '<span class="tl-when">%s</span>'
    assert page.count(when % "10:00–12:00") == 1 and page.count(when % "15:00–16:00") == 1


def test_schedule_shows_each_booking_once_as_a_block(homes, make_user, client, login):
    hall = db.session.scalar(db.select(Room).where(Room.home_id == homes["liwan"].id).order_by(Room.id))
    day = workday()
    _book(hall, make_user(), day, "10:00", "17:00", title="荔南研学")
    _book(hall, make_user(), day, "18:00", "19:00", title="审批中的会", status="pending")
    login(make_user(role="organiser", district="liwan"))
    for view in ("day", "week"):
        page = client.get(f"/homes/liwan/schedule?date={day}&view={view}").get_data(as_text=True)
        assert re.search(r'colspan="14" class="tl-block tl-booked"[^>]*>\s*<a href="/bookings/\d+"', page)
        assert page.count('<span class="tl-what">荔南研学</span>') == 1
        assert re.search(r'class="tl-block tl-booked tl-pending"', page) and "待审批" in page


def test_room_week_lanes_are_days(homes, room, client):
    day = workday()
    page = client.get(f"/rooms/{room.id}?from={day}").get_data(as_text=True)
    assert page.count('<th scope="row" class="tl-lane">') == 7
    assert f'<span class="tl-day">{day.strftime("%m-%d")} 周' in page


def test_the_searched_find_page_reads_the_rooms_with_their_homes_once(homes, make_user, client, login):
    """A search lists rooms once (their homes in the same read) and answers from them: the rooms,
    the holidays, the bookings and closures of the searched time, then of the day's timeline."""
    from sqlalchemy import event

    day, talent = workday(), make_user()
    login(talent)
    db.session.expunge_all()
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        page = client.get(f"/bookings/find?date={day}&start=14:00&end=16:00&min_capacity=2")
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert page.status_code == 200 and "tl-searched" in page.get_data(as_text=True)
    reads = [" ".join(s.split()) for s in statements if s.lstrip().upper().startswith("SELECT")]
    rooms = [s for s in reads if "FROM rooms" in s or "FROM homes" in s]
    assert len(rooms) == 1 and "JOIN homes" in rooms[0], rooms
    assert len(reads) <= 7, reads


def test_the_week_schedule_lists_each_booking_under_its_own_day(homes, make_user, client, login):
    """A week's schedule lists each day's bookings (with their bookers) under that day's heading,
    and "No bookings." under the days without any."""
    from datetime import timedelta

    hall = db.session.scalar(db.select(Room).where(Room.home_id == homes["liwan"].id).order_by(Room.id))
    monday = workday(7) - timedelta(days=workday(7).weekday())
    _book(hall, make_user(name="周一的人"), monday, "10:00", "11:00", title="周一读书会")
    _book(hall, make_user(name="周三的人"), monday + timedelta(days=2), "20:00", "21:00", title="周三夜谈")
    login(make_user(role="organiser", district="liwan"))
    page = client.get(f"/homes/liwan/schedule?date={monday + timedelta(days=3)}&view=week").get_data(as_text=True)
    tables = page.split('<table class="schedule-list">')[1:]
    assert len(tables) == 7
    assert "周一读书会" in tables[0] and "周一的人" in tables[0] and "周三夜谈" not in tables[0]
    assert "周三夜谈" in tables[2] and "周三的人" in tables[2] and "20:00–21:00" in tables[2]
    assert all("暂无预约" in t for n, t in enumerate(tables) if n not in (0, 2))


def test_the_schedule_lists_each_bookings_status_link_and_tags_in_the_pages_language(homes, make_user, client, login):
    """Each row: its status as a coloured tag in the page's language, a link to the booking, "weekly"
    for one of a series, "Checked in" once checked in, and "—" for a booking without a booker."""
    hall = db.session.scalar(db.select(Room).where(Room.home_id == homes["liwan"].id).order_by(Room.id))
    day = workday()
    came = _book(hall, make_user(name="到场的人"), day, "09:00", "10:00", title="到场", series_id="s-1")
    came.checked_in_at = parse_datetime(iso(day, "09:05"))
    waiting = _book(hall, make_user(name="等待的人"), day, "10:00", "11:00", title="等待", status="pending")
    cancelled = _book(hall, None, day, "11:00", "12:00", title="取消", status="cancelled")
    db.session.commit()
    organiser = make_user(role="organiser", district="liwan")
    login(organiser)
    words = {
        "zh": ("已确认", "待审批", "已取消", "每周", "已签到"),
        "en": ("Confirmed", "Waiting for approval", "Cancelled", "weekly", "Checked in"),
    }
    for locale, (confirmed, pending, gone, weekly, checked_in) in words.items():
        organiser.locale = locale
        db.session.commit()
        listed = client.get(f"/homes/liwan/schedule?date={day}").get_data(as_text=True).split("schedule-list")[1]
        rows = listed.split("<tr>")[2:]
        assert len(rows) == 3, locale
        assert f'<a href="/bookings/{came.id}">到场</a> <span class="tag">{weekly}</span>' in rows[0]
        assert "<td>到场的人</td>" in rows[0]
        assert f'<span class="tag ok">{confirmed}</span> <span class="tag ok">{checked_in}</span>' in rows[0]
        assert f'<a href="/bookings/{waiting.id}">等待</a></td>' in rows[1]
        assert f'<span class="tag warn">{pending}</span></td>' in rows[1]
        assert f'<a href="/bookings/{cancelled.id}">取消</a>' in rows[2]
        assert f'<td>—</td>\n          <td><span class="tag bad">{gone}</span></td>' in rows[2]
