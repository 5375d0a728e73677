"""A talent who uses only the keyboard: logs in, books a room and signs up for an event with Tab,
Enter, Space and typing; never a mouse click. Every element reached shows a visible focus ring."""

from __future__ import annotations

import re

import pytest
from bookings_factories import workday
from events_factories import published
from playwright.sync_api import expect

from app.extensions import db
from app.models import Booking, Registration
from app.timezones import local_today, to_local

PASSWORD = "Talent2026ok"
EVENT = "荔南人才茶叙"

# The focused element's ring (outline or box-shadow) and its best contrast with the background it is
# drawn on (the nearest ancestor's), as WCAG 1.4.11 asks of a focus indicator: at least 3:1.
FOCUS_RING = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const rgb = (text) => {
        const m = (text || '').match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(',').map(Number);
        return a === 0 ? null : [r, g, b];
    };
    const lum = (c) => {
        const [r, g, b] = c.map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    let node = el.parentElement, back = null;
    while (node && !back) { back = rgb(getComputedStyle(node).backgroundColor); node = node.parentElement; }
    back = back || [255, 255, 255];
    const rings = [];
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) rings.push(rgb(style.outlineColor));
    if (style.boxShadow !== 'none') rings.push(rgb(style.boxShadow));
    const box = el.getBoundingClientRect();
    return {
        element: el.outerHTML.slice(0, 120),
        rings: rings.filter(Boolean).length,
        contrast: Math.max(0, ...rings.filter(Boolean).map(c => ratio(c, back))),
        onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
    };
}"""


def assert_focus_visible(page) -> None:
    focus = page.evaluate(FOCUS_RING)
    assert focus["rings"], f"no visible focus indicator on {focus['element']}"
    assert focus["contrast"] >= 3, f"focus ring contrast {focus['contrast']:.2f}:1 on {focus['element']}"
    assert focus["onScreen"], f"the focused element is off screen: {focus['element']}"


def tab_to(page, target, limit: int = 150) -> None:
    """Press Tab until `target` (a locator of one element) has the focus; it must show a focus ring."""
    expect(target).to_have_count(1)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            assert_focus_visible(page)
            return
    pytest.fail(f"{target} not reached in {limit} presses of Tab")


def press_enter_and_wait(page, url_pattern: str) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(url_pattern))


def test_keyboard_only_booking_and_sign_up(open_page, screenshot, make_user, room):
    talent = make_user(name="林晓南", password=PASSWORD)
    organiser = make_user("organiser", district="liwan")
    event = published(organiser, title=EVENT)
    user_id, email, room_id, event_id = talent.id, talent.email, room.id, event.id
    day = workday(2)
    db.session.commit()

    page = open_page("desktop")
    page.goto("/")
    # The first Tab reaches the skip link, which shows itself when focused.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    assert_focus_visible(page)

    # Log in.
    tab_to(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录", exact=True))
    press_enter_and_wait(page, r"/login")
    tab_to(page, page.get_by_label("电子邮箱", exact=True))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码", exact=True)).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(PASSWORD)
    tab_to(page, page.locator("main").get_by_role("button", name="登录", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("^退出登录"))).to_contain_text("林晓南")

    # Book a room: the find page, day by day to a working day, then a free half-hour in the grid.
    tab_to(page, page.get_by_role("link", name="预约场地", exact=True))
    press_enter_and_wait(page, r"/bookings/find")
    for _ in range((day - local_today()).days):
        page.keyboard.press("Tab")  # the skip link first: straight to the page's own content
        expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        tab_to(page, page.get_by_role("link", name=re.compile("后一天")))
        press_enter_and_wait(page, r"date=")
    expect(page.get_by_role("heading", name=re.compile(f"^{day.isoformat()}"))).to_be_visible()
    slot = page.locator(f'table.timeline a[href*="/rooms/{room_id}/book?"][href*="start=14:00"]')
    expect(slot).to_have_accessible_name(re.compile(r"^预约 \S.* 14:00–15:00$"))
    tab_to(page, slot, limit=250)
    press_enter_and_wait(page, rf"/rooms/{room_id}/book")
    expect(page.locator("#start")).to_have_value("14:00")
    tab_to(page, page.get_by_label("标题", exact=True))
    page.keyboard.type("读书会")
    tab_to(page, page.get_by_label("人数", exact=True))
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("6")
    tab_to(page, page.locator("main form").get_by_role("button", name="预约", exact=True))
    press_enter_and_wait(page, r"/bookings/mine")
    expect(page.get_by_text("预约成功。")).to_be_visible()
    expect(page.locator("main").get_by_text("读书会").first).to_be_visible()
    screenshot(page, "1-booked")

    # Sign up for the event: the list, its page, consent with Space, the button with Enter.
    tab_to(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name="活动", exact=True))
    press_enter_and_wait(page, r"/events$")
    tab_to(page, page.get_by_role("link", name=EVENT))
    press_enter_and_wait(page, rf"/events/{event_id}$")
    consent = page.get_by_label(re.compile("^我同意"))
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to(page, page.locator("#sign-up").get_by_role("button", name="报名", exact=True))
    press_enter_and_wait(page, r"/me/registrations")
    expect(page.get_by_text("报名成功，签到码见您的入场凭证。")).to_be_visible()
    screenshot(page, "2-signed-up")

    db.session.rollback()
    booking = db.session.scalar(db.select(Booking).where(Booking.user_id == user_id))
    assert (booking.room_id, booking.title, booking.attendees, booking.status) == (room_id, "读书会", 6, "confirmed")
    assert (to_local(booking.starts_at).date(), to_local(booking.starts_at).strftime("%H:%M")) == (day, "14:00")
    assert to_local(booking.ends_at).strftime("%H:%M") == "15:00"
    registration = db.session.scalar(db.select(Registration).where(Registration.user_id == user_id))
    assert (registration.event_id, registration.status, registration.places) == (event_id, "confirmed", 1)
    db.session.rollback()
