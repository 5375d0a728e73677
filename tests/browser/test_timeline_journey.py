"""The timeline on a 390 px phone: a Liwan talent searches the afternoon in the Nanhai home, finds the
timeline scrolled there, taps a free stretch, books it from the prefilled form, sees it as "yours";
the page never scrolls sideways (the timeline scrolls inside itself)."""

from __future__ import annotations

import re

from bookings_factories import add_booking, workday
from playwright.sync_api import expect

from app.extensions import db
from app.models import Home, Room
from app.timezones import local_datetime, parse_hhmm

PASSWORD = "Talent2026ok"


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_search_the_afternoon_in_the_other_home_and_book_it_from_the_timeline(
    open_page, screenshot, log_in, homes, make_user
):
    talent = make_user(name="陈晓荔", district="liwan", password=PASSWORD)
    day = workday(2)
    nanhai = db.session.scalar(db.select(Home).where(Home.district == "nanhai"))
    first = db.session.scalar(db.select(Room).where(Room.home_id == nanhai.id).order_by(Room.id))
    add_booking(first, make_user(), local_datetime(day, parse_hhmm("09:00")), local_datetime(day, parse_hhmm("12:00")))
    page = open_page("phone")
    log_in(page, talent, PASSWORD)

    page.goto("/bookings/find")
    page.get_by_label("人才之家", exact=True).select_option("nanhai")
    page.get_by_label("日期", exact=True).fill(day.isoformat())
    page.get_by_label("开始", exact=True).select_option("14:00")
    page.get_by_label("结束", exact=True).select_option("16:00")
    page.get_by_label("人数", exact=True).fill("6")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_role("heading", name=f"{day.isoformat()} 14:00 至 16:00 空闲")).to_be_visible()

    # The timeline opens at the searched afternoon, inside its own scroller.
    region = page.get_by_role("region", name=re.compile("各功能室安排$")).first
    expect(region).to_have_attribute("tabindex", "0")
    focus = region.locator("th[data-focus]")
    expect(focus).to_have_text("14:00")
    region.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('[data-timeline]').scrollLeft > 0")
    box, shown = focus.bounding_box(), region.bounding_box()
    assert shown["x"] < box["x"] < shown["x"] + shown["width"] - box["width"], (box, shown)
    expect(region.locator("td.tl-booked").first).to_contain_text("09:00–12:00")
    no_sideways_scroll(page)
    screenshot(page, "1-timeline-zh")

    # Tap the free stretch at 14:00 of the first room: the form comes filled in.
    lane = region.locator("tbody tr").first
    room_name = lane.locator("th a").inner_text()
    slot = lane.get_by_role("link", name=f"预约 {room_name} 14:00–16:00", exact=True)
    expect(slot).to_have_attribute("href", re.compile(r"start=14:00&end=16:00&min_capacity=6$"))
    slot.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"预约 {room_name}")
    expect(page.get_by_label("日期", exact=True)).to_have_value(day.isoformat())
    expect(page.get_by_label("开始", exact=True)).to_have_value("14:00")
    expect(page.get_by_label("结束", exact=True)).to_have_value("16:00")
    assert "min_capacity=6" in page.url  # the people searched for, under the search's own name
    expect(page.get_by_label("人数", exact=True)).to_have_value("6")  # the search's people, carried
    page.get_by_label("标题", exact=True).fill("跨区读书会")
    no_sideways_scroll(page)
    screenshot(page, "2-form-zh")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page).to_have_url(re.compile(r"/bookings/mine$"))

    # Back on the timeline, the afternoon is the talent's own block.
    page.goto(f"/bookings/find?home=nanhai&date={day.isoformat()}&start=14:00&end=16:00&min_capacity=6")
    region = page.get_by_role("region", name=re.compile("各功能室安排$")).first
    mine = region.locator("tbody tr").first.locator("td.tl-yours")
    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("colspan", "4")
    expect(mine.get_by_role("link")).to_have_accessible_name(re.compile(r"^我的预约 .*14:00–16:00$"))
    expect(page.locator("main")).not_to_contain_text("陈晓荔")
    no_sideways_scroll(page)
    screenshot(page, "3-yours-zh")
