"""The booking form carries the search and the home's hours; a refusal is reported once, with its
alternatives as links and a way back; bookings say where the home is and how to get in."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from bookings_factories import add_booking, iso, workday

from app.bookings.place import map_url
from app.extensions import db
from app.models import Room
from app.timezones import parse_datetime


def options(page: str, name: str) -> list[str]:
    select = page[page.index(f'name="{name}"') : page.index("</select>", page.index(f'name="{name}"'))]
    return re.findall(r'value="([^"]+)"', select)


def test_the_form_keeps_the_search_and_offers_the_opening_hours(room, make_user, client, login):
    login(make_user())
    day = workday()
    page = client.get(
        f"/rooms/{room.id}/book?date={day}&start=14:00&end=16:00&min_capacity=6&equipment=screen"
    ).get_data(as_text=True)
    assert re.search(r'name="attendees"[^>]*value="6"', page)
    assert '<input type="hidden" name="equipment" value="screen">' in page
    assert '<option selected value="14:00">' in page and '<option selected value="16:00">' in page
    starts, ends = options(page, "start"), options(page, "end")
    assert starts[0] == "09:00" and starts[-1] == "20:30" and "07:00" not in starts
    assert ends[0] == "09:30" and ends[-1] == "21:00" and "23:00" not in ends
    assert all(t[3:] in ("00", "30") for t in starts + ends)
    page = client.get(f"/rooms/{room.id}/book?start=07:00&attendees=6").get_data(as_text=True)
    assert re.search(r'name="attendees"[^>]*value="6"', page) and '<option selected value="07:00">' not in page


def form_data(day, **extra) -> dict:
    data = {"date": day.isoformat(), "start": "10:00", "end": "11:00", "title": "读书会", "purpose": "seminar"}
    return data | {"attendees": "6", "weekly": "1", "equipment": "screen"} | extra


def test_a_clash_is_reported_once_with_its_alternatives(room, make_user, client, login):
    day = workday()
    start = parse_datetime(iso(day, "10:00"))
    add_booking(room, make_user(), start, start + timedelta(hours=1))
    login(make_user())
    response = client.post(f"/rooms/{room.id}/book", data=form_data(day))
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    # Beside the time it is about (naming the room and the time) and in the summary linking there.
    assert page.count("该功能室在此时段已被预约。") == 2
    assert f"{room.name}，{day} 10:00–11:00：该功能室在此时段已被预约。" in page
    assert 'href="#start"' in page and 'aria-describedby="start-error" aria-invalid="true"' in page
    links = re.findall(r'href="(/rooms/\d+/book\?[^"]+)"', page)
    assert len(links) == 5
    assert f"/rooms/{room.id}/book?date={day}&start=09:00&end=10:00&attendees=6" in links[0]
    assert all("equipment=screen" in link and "title=" in link for link in links)
    assert f"/bookings/find?date={day}&home=liwan&start=10:00&end=11:00&min_capacity=6&equipment=screen" in page
    followed = client.get(links[0]).get_data(as_text=True)
    assert '<option selected value="09:00">' in followed and re.search(r'name="attendees"[^>]*value="6"', followed)


def test_an_alternative_in_the_other_home_is_marked(room, make_user, client, login):
    login(make_user())
    response = client.post(f"/rooms/{room.id}/book", data=form_data(workday(), attendees="14", equipment="tea_set"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    nanhai = db.session.scalar(db.select(Room).where(Room.name == "联谊活动室"))
    assert f"/rooms/{nanhai.id}/book?" in page and "另一个人才之家" in page


def test_a_series_clash_is_reported_once(room, make_user, client, login):
    login(make_user(role="organiser", district="liwan"))
    day = workday()
    start = parse_datetime(iso(day + timedelta(weeks=1), "10:00"))
    add_booking(room, make_user(), start, start + timedelta(hours=1))
    response = client.post(f"/rooms/{room.id}/book", data=form_data(day, weekly="3"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    # beside the date, in the summary linking to it, and in the list of clashes: one report
    assert page.count((day + timedelta(weeks=1)).isoformat()) == 3
    assert 'href="#date"' in page
    assert page.count('role="alert"') == 1 and 'class="flash' not in page


def test_bookings_say_where_and_how_to_get_in(room, make_user, client, login):
    talent = make_user()
    start = parse_datetime(iso(workday(), "10:00"))
    booking = add_booking(room, talent, start, start + timedelta(hours=1))
    login(talent)
    link = html.escape(map_url(room.home.address))
    for path in ("/bookings/mine", f"/bookings/{booking.id}"):
        page = client.get(path).get_data(as_text=True)
        assert room.home.name in page and "广州市荔湾区" in page and room.home.address in page
        assert link in page and link.startswith("https://")
        assert "签到时间 09:45–10:15" in page and "当天开放时间：09:00–21:00" in page
