"""On a 390 px phone: a clash offers alternatives, one tap on one leads to a filled-in form and a
booking; a 4-week series is one page whose remaining dates cancel together. Screenshots of the pages
in Chinese and English, phone and desktop, none scrolling sideways."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bookings_factories import add_booking, workday
from playwright.sync_api import expect

from app.extensions import db
from app.models import Booking
from app.timezones import local_datetime, parse_hhmm, to_local

PASSWORD = "Talent2026ok"


def held(user_id: int) -> list[tuple[str, str]]:
    db.session.rollback()
    rows = db.session.execute(
        db.select(Booking.starts_at, Booking.status).where(Booking.user_id == user_id).order_by(Booking.starts_at)
    ).all()
    db.session.rollback()
    return [(to_local(start).strftime("%Y-%m-%d %H:%M"), status) for start, status in rows]


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_clash_then_one_tap_on_an_alternative_books_it(open_page, screenshot, log_in, room, make_user):
    day = workday(2)
    add_booking(room, make_user(), local_datetime(day, parse_hhmm("10:00")), local_datetime(day, parse_hhmm("11:00")))
    talent = make_user(name="陈晓荔", email="chen.planb@example.com", password=PASSWORD)
    room_id, talent_id = room.id, talent.id
    page = open_page("phone")
    log_in(page, talent, PASSWORD)
    page.goto(f"/rooms/{room_id}/book?date={day}&start=10:00&end=11:00&attendees=6")
    expect(page.get_by_label("人数", exact=True)).to_have_value("6")
    page.get_by_label("标题", exact=True).fill("荔南青年学者读书会")
    page.get_by_role("button", name="预约", exact=True).click()

    # The refusal is in the summary at the top and beside the start; what can be done instead follows it.
    expect(page.get_by_role("alert")).to_contain_text("该功能室在此时段已被预约。")
    expect(page.get_by_label("开始", exact=True)).to_have_attribute("aria-invalid", "true")
    instead = page.locator(".refusal")
    choices = instead.locator("ul.alternatives a")
    expect(choices).to_have_count(5)
    expect(choices.first).to_contain_text("09:00–10:00")
    expect(instead.get_by_role("link", name="返回功能室时间表")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "1-refused-zh")

    choices.first.click()
    expect(page.get_by_label("开始", exact=True)).to_have_value("09:00")
    expect(page.get_by_label("结束", exact=True)).to_have_value("10:00")
    expect(page.get_by_label("人数", exact=True)).to_have_value("6")
    expect(page.get_by_label("标题", exact=True)).to_have_value("荔南青年学者读书会")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page).to_have_url(re.compile(r"/bookings/mine$"))
    expect(page.locator(".flash-success")).to_have_text("预约成功。")
    assert held(talent_id) == [(f"{day} 09:00", "confirmed")]
    card = page.locator("li.card", has=page.get_by_role("link", name="荔南青年学者读书会"))
    expect(card).to_contain_text("广州市荔湾区")
    expect(card.get_by_role("link", name=re.compile("^地图"))).to_have_attribute("href", re.compile("^https://"))
    no_sideways_scroll(page)
    screenshot(page, "2-mine-zh")


def test_a_four_week_series_and_cancelling_its_remaining_dates(open_page, screenshot, log_in, room, make_user):
    organiser = make_user(role="organiser", district="liwan", email="org.series@example.com", password=PASSWORD)
    day = workday(2)
    room_id, organiser_id = room.id, organiser.id
    page = open_page("phone")
    log_in(page, organiser, PASSWORD)
    page.goto(f"/rooms/{room_id}/book?date={day}&start=14:00&end=15:30&attendees=8")
    page.get_by_label("标题", exact=True).fill("每周读书会")
    page.get_by_label("按周重复次数", exact=True).select_option("4")
    page.get_by_role("button", name="预约", exact=True).click()

    expect(page).to_have_url(re.compile(r"/bookings/series/[\w-]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("每周读书会")
    dates = page.locator("ul.series-dates > li")
    expect(dates).to_have_count(4)
    for week in range(4):
        expect(dates.nth(week)).to_contain_text((day + timedelta(weeks=week)).isoformat())
    no_sideways_scroll(page)
    screenshot(page, "1-series-zh")

    dates.first.get_by_role("button", name=re.compile("^取消这一天")).click()
    expect(dates.first.locator(".tag")).to_have_text("已取消")
    page.get_by_role("button", name="取消剩余全部日期（3 次）").click()
    expect(page.locator(".flash-success")).to_have_text("剩余日期已取消。")
    expect(page.locator("ul.series-dates .tag")).to_have_text(["已取消"] * 4)
    assert [status for _when, status in held(organiser_id)] == ["cancelled"] * 4
    screenshot(page, "2-series-cancelled-zh")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_pages_in_both_languages(open_page, screenshot, log_in, room, make_user, viewport, language):
    day = workday(2)
    start = local_datetime(day, parse_hhmm("10:00"))
    talent = make_user(name="陈晓荔", email=f"chen.{viewport}.{language}@example.com", password=PASSWORD)
    add_booking(room, make_user(), start, start + timedelta(hours=1))
    for week in range(2):
        at = start + timedelta(weeks=week, hours=4)
        add_booking(
            room, talent, at, at + timedelta(hours=1), title="每周读书会", series_id=f"shots-{viewport}-{language}"
        )
    room_id = room.id
    page = open_page(viewport)
    log_in(page, talent, PASSWORD)
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"/rooms/{room_id}/book?date={day}&start=10:00&end=11:00&attendees=6&equipment=screen")
    page.locator("#title").fill("Reading group")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".refusal ul.alternatives a")).to_have_count(5)
    for name, path in (
        ("refused", None),
        ("form", f"/rooms/{room_id}/book?date={day}&start=14:00&end=16:00&attendees=6"),
        ("mine", "/bookings/mine"),
        ("series", f"/bookings/series/shots-{viewport}-{language}"),
    ):
        if path:
            page.goto(path)
        if viewport == "phone":
            no_sideways_scroll(page)
        screenshot(page, f"{name}-{language}")
    page.locator("ul.series-dates a.when").first.click()
    expect(page.locator("dl.hours")).to_contain_text("地图" if language == "zh" else "Map")
    if viewport == "phone":
        no_sideways_scroll(page)
    screenshot(page, f"show-{language}")
