"""Booking a room in a real browser: find a free time, book it, see it in 我的预约, cancel it, book a
half-hour from the day grid; and a refused booking that shows the rule and stores nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bookings_factories import workday
from playwright.sync_api import expect

from app.extensions import db
from app.models import Booking, Room
from app.timezones import local_today, to_local

PASSWORD = "Talent2026ok"


def bookings() -> list[tuple[str, str, str, str]]:
    """(room, local start, local end, status) of every booking, then the read ends (SQLite's lock)."""
    db.session.rollback()
    rows = db.session.execute(
        db.select(Room.name, Booking.starts_at, Booking.ends_at, Booking.status).join(Room).order_by(Booking.id)
    ).all()
    db.session.rollback()
    return [
        (name, to_local(start).strftime("%Y-%m-%d %H:%M"), to_local(end).strftime("%H:%M"), status)
        for name, start, end, status in rows
    ]


def weekday_zh(day) -> str:
    return "周" + "一二三四五六日"[day.weekday()]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_find_book_see_cancel_and_book_from_the_grid(open_page, screenshot, log_in, menu, homes, make_user, viewport):
    talent = make_user(name="陈晓荔", email=f"chen.{viewport}@example.com", password=PASSWORD)
    day = workday(2)
    page = open_page(viewport)
    log_in(page, talent, PASSWORD)

    # Find: Liwan home, a time range, six people.
    menu(page).get_by_role("navigation", name="主导航").get_by_role("link", name="预约场地").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("预约场地")
    page.get_by_label("人才之家", exact=True).select_option("liwan")
    page.get_by_label("日期", exact=True).fill(day.isoformat())
    page.get_by_label("开始", exact=True).select_option("14:00")
    page.get_by_label("结束", exact=True).select_option("15:30")
    page.get_by_label("人数", exact=True).fill("6")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_role("heading", name=f"{day.isoformat()} 14:00 至 15:30 空闲")).to_be_visible()
    free = page.locator("ul.cards > li.card")
    rooms = ["研讨室 A", "研讨室 B", "培训教室", "多功能厅", "茶叙交流室"]
    expect(free.get_by_role("heading", level=3)).to_have_text(rooms)
    screenshot(page, "1-find-zh")

    room_a = free.filter(has=page.get_by_role("link", name="研讨室 A", exact=True))
    expect(room_a).to_contain_text("最多容纳 12 人")
    room_a.get_by_role("link", name="预约", exact=True).click()

    # The form comes filled in with the chosen time.
    expect(page.get_by_role("heading", level=1)).to_have_text("预约 研讨室 A")
    expect(page.get_by_label("日期", exact=True)).to_have_value(day.isoformat())
    expect(page.get_by_label("开始", exact=True)).to_have_value("14:00")
    expect(page.get_by_label("结束", exact=True)).to_have_value("15:30")
    page.get_by_label("标题", exact=True).fill("荔南青年学者读书会")
    page.get_by_label("用途", exact=True).select_option("seminar")
    page.get_by_label("人数", exact=True).fill("6")
    screenshot(page, "2-form-zh")
    page.get_by_role("button", name="预约", exact=True).click()

    # Confirmed, and listed in 我的预约.
    expect(page).to_have_url(re.compile(r"/bookings/mine$"))
    expect(page.locator(".flash-success")).to_have_text("预约成功。")
    card = page.locator("li.card", has=page.get_by_role("link", name="荔南青年学者读书会"))
    expect(card).to_contain_text(f"{day.isoformat()} 14:00–15:30 {weekday_zh(day)}")
    expect(card).to_contain_text("研讨室 A")
    expect(card.locator(".tag")).to_have_text("已确认")
    screenshot(page, "3-mine-zh")
    assert bookings() == [("研讨室 A", f"{day.isoformat()} 14:00", "15:30", "confirmed")]

    # Open it and cancel it.
    card.get_by_role("link", name="荔南青年学者读书会").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("荔南青年学者读书会")
    expect(page.locator("dl.hours")).to_contain_text("研讨室 A")
    screenshot(page, "4-booking-zh")
    page.get_by_role("button", name="取消", exact=True).click()
    expect(page).to_have_url(re.compile(r"/bookings/mine$"))
    assert page.dialogs == ["确定取消这次预约吗？"]  # asked before cancelling
    expect(page.locator(".flash-success")).to_have_text("预约已取消。")
    expect(card.locator(".tag")).to_have_text("已取消")
    expect(card.get_by_role("button", name="取消")).to_have_count(0)
    screenshot(page, "5-cancelled-zh")
    assert bookings() == [("研讨室 A", f"{day.isoformat()} 14:00", "15:30", "cancelled")]

    # The time is free again: tap the 14:00 half-hour of 研讨室 A in the timeline.
    page.goto(f"/bookings/find?home=liwan&date={day.isoformat()}")
    expect(page.get_by_role("heading", name=f"{day.isoformat()} {weekday_zh(day)}")).to_be_visible()
    row = page.locator("table.timeline tr").filter(has=page.get_by_role("link", name="研讨室 A", exact=True))
    row.get_by_role("link", name="预约 研讨室 A 14:00–15:00", exact=True).click()
    expect(page.get_by_label("开始", exact=True)).to_have_value("14:00")
    expect(page.get_by_label("结束", exact=True)).to_have_value("15:00")
    page.get_by_label("标题", exact=True).fill("跨区项目对接会")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("预约成功。")
    expect(page.locator("li.card", has=page.get_by_role("link", name="跨区项目对接会")).locator(".tag")).to_have_text(
        "已确认"
    )
    assert bookings()[1] == ("研讨室 A", f"{day.isoformat()} 14:00", "15:00", "confirmed")

    # The timeline now shows the hour as one block, the booker's own, without the booker's name.
    page.goto(f"/bookings/find?home=liwan&date={day.isoformat()}")
    row = page.locator("table.timeline tr").filter(has=page.get_by_role("link", name="研讨室 A", exact=True))
    expect(row.get_by_role("link", name="预约 研讨室 A 14:00–15:00", exact=True)).to_have_count(0)
    expect(row.get_by_role("link", name="预约 研讨室 A 15:00–16:00", exact=True)).to_have_count(1)
    expect(row.locator("td.tl-block")).to_have_count(1)
    expect(row.locator("td.tl-yours").get_by_role("link")).to_have_accessible_name("我的预约 14:00–15:00")
    expect(page.locator("main")).not_to_contain_text("陈晓荔")
    row.locator("td.tl-yours").scroll_into_view_if_needed()
    screenshot(page, "6-grid-zh")


def test_refused_bookings_show_the_rule_and_store_nothing(page, screenshot, log_in, room, make_user):
    talent = make_user(name="林晓南", password=PASSWORD)
    room_id, day, yesterday = room.id, workday(2), local_today() - timedelta(days=1)
    log_in(page, talent, PASSWORD)

    # In the past.
    page.goto(f"/rooms/{room_id}/book?date={yesterday.isoformat()}&start=10:00")
    page.get_by_label("标题", exact=True).fill("补录的会议")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("该时间已过。")
    expect(page.get_by_label("标题", exact=True)).to_have_value("补录的会议")
    expect(page.get_by_label("标题", exact=True)).to_have_value("补录的会议")
    screenshot(page, "1-past-zh")

    # Too long: five hours.
    page.get_by_label("日期", exact=True).fill(day.isoformat())
    page.get_by_label("开始", exact=True).select_option("09:00")
    page.get_by_label("结束", exact=True).select_option("14:00")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("每次预约最长 4 小时。")
    screenshot(page, "2-too-long-zh")

    # Ending before it starts: a message beside the field.
    page.get_by_label("开始", exact=True).select_option("15:00")
    page.get_by_label("结束", exact=True).select_option("14:00")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.locator("#end-error")).to_have_text("结束时间必须晚于开始时间。")
    expect(page.get_by_label("结束", exact=True)).to_have_attribute("aria-invalid", "true")
    screenshot(page, "3-end-before-start-zh")

    # More people than the room holds.
    page.get_by_label("开始", exact=True).select_option("10:00")
    page.get_by_label("结束", exact=True).select_option("11:00")
    page.get_by_label("人数", exact=True).fill("30")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("该功能室最多容纳 12 人。")
    expect(page.locator("#attendees-error")).to_contain_text("该功能室最多容纳 12 人。")
    expect(page.get_by_label("人数", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("人数", exact=True)).to_have_value("30")
    screenshot(page, "4-too-many-zh")

    page.goto("/bookings/mine")
    expect(page.get_by_text("暂无即将到来的预约。")).to_be_visible()
    assert bookings() == []


def test_day_grid_names_the_rooms_in_english(page, homes):
    """The grid's room names follow the page language, like the rest of the find page.

    Fails today: bookings/_grid.html's macro is imported without context, so `current_language` is
    undefined in it and the rows keep the Chinese names on English pages."""
    day = workday(2)
    page.goto(f"/bookings/find?home=liwan&date={day.isoformat()}")
    expect(page.locator("table.timeline tbody th").first).to_contain_text("研讨室 A")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Book Seminar room A 14:00–15:00")).to_have_count(1)
    expect(page.locator("table.timeline tbody th")).to_contain_text(
        ["Seminar room A", "Seminar room B", "Training classroom", "Multi-purpose hall", "Tea lounge"]
    )


def test_find_page_answers_a_mistyped_year(page, homes):
    """A year typed wrong in the date field (9999) gets the page, not a server error.

    Fails today: bookings.find computes the previous/next day links with date ± 1 day, which
    overflows at 9999-12-31 (and 0001-01-01): OverflowError, 500."""
    page.goto("/bookings/find")
    page.get_by_label("日期", exact=True).fill("9999-12-31")
    with page.expect_response(re.compile(r"/bookings/find\?")) as answer:
        page.get_by_role("button", name="搜索").click()
    assert answer.value.status == 200, answer.value.status
    expect(page.get_by_role("heading", level=1)).to_have_text("预约场地")
