"""Refused forms in a real browser, in Chinese on a phone: a wrong password keeps the e-mail address,
a bad credential keeps every field of the registration, a clash keeps the booking's people and
purpose with the problem beside the time. Each time the summary of problems has the focus (the page
opens on it) and links to the field. Then the same refused forms in English and on a wide screen:
no sideways scroll, no Chinese left on an English page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bookings_factories import add_booking, iso, workday
from playwright.sync_api import expect

from app.extensions import db
from app.timezones import parse_datetime

PASSWORD = "Talent2026ok"
HAN = re.compile(r"[\u4e00-\u9fff]")


def expect_summary_focused(page, link_to: str) -> None:
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.id") == summary.get_attribute("id")
    box = summary.bounding_box()
    # In view: its top on screen (scrolling may leave it a fraction of a pixel above the edge).
    assert box is not None and -1 < box["y"] < page.viewport_size["height"] - box["height"] / 2
    expect(summary.locator(f'a[href="#{link_to}"]')).to_be_visible()


def refuse_login(page, email: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill("Wrong-guess-1")
    page.locator("main form button[type=submit]").click()


def refuse_register(page) -> None:
    page.goto("/register")
    page.locator("#name").fill("王小明")
    page.locator("#email").fill("xiaoming@example.com")
    page.locator("#phone").fill("13800138000")
    page.locator("#password").fill("Secret-pass-9")
    page.locator("#district").select_option("nanhai")
    page.locator("#issuer").select_option("nanhai_kunpeng")
    page.locator("#number").fill("坏#号")
    page.locator("#consent").check()
    page.locator("main form button[type=submit]").click()


def refuse_booking(page, room_id: int, day) -> None:
    page.goto(f"/rooms/{room_id}/book?date={day}&start=10:00&end=11:00")
    page.locator("#title").fill("读书会")
    page.locator("#purpose").select_option("training")
    page.locator("#attendees").fill("6")
    page.locator("main form.form button[type=submit]").click()


@pytest.fixture
def clash(room, make_user):
    day = workday()
    start = parse_datetime(iso(day, "10:00"))
    add_booking(room, make_user(), start, start + timedelta(hours=1))
    room_id = room.id
    db.session.commit()
    return room_id, day


def test_refused_forms_keep_what_was_typed(page, screenshot, log_in, make_user, clash):
    user = make_user(name="王芳", password=PASSWORD)
    email = user.email
    db.session.commit()  # the browser writes next: no transaction may stay open here
    refuse_login(page, email)
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#password")).to_have_value("")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password-error")).to_have_text("电子邮箱或密码错误。")
    expect_summary_focused(page, "password")
    screenshot(page, "login-zh")

    refuse_register(page)
    for selector, value in {"#name": "王小明", "#email": "xiaoming@example.com", "#phone": "13800138000"}.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#district")).to_have_value("nanhai")
    expect(page.locator("#issuer")).to_have_value("nanhai_kunpeng")
    expect(page.locator("#number")).to_have_value("坏#号")
    expect(page.locator("#consent")).to_be_checked()
    expect(page.locator("#number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#number")).to_have_attribute("aria-describedby", re.compile("number-error"))
    expect_summary_focused(page, "number")
    screenshot(page, "register-zh")

    log_in(page, user, PASSWORD)
    room_id, day = clash
    refuse_booking(page, room_id, day)
    expect(page.locator("#attendees")).to_have_value("6")
    expect(page.locator("#purpose")).to_have_value("training")
    expect(page.locator("#title")).to_have_value("读书会")
    expect(page.locator("#start")).to_have_value("10:00")
    expect(page.locator("#start")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#start-error")).to_contain_text(f"{day} 10:00–11:00：该功能室在此时段已被预约。")
    expect(page.locator(".alternatives a").first).to_be_visible()  # Plan B stays
    expect_summary_focused(page, "start")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "booking-zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_refused_forms_fit_and_speak_one_language(open_page, screenshot, log_in, make_user, clash, lang, viewport):
    user = make_user(name="Wang Fang", password=PASSWORD)
    page = open_page(viewport)
    if viewport == "desktop":
        page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, user, PASSWORD)
    email = user.email
    db.session.commit()
    page.goto(f"/lang/{lang}?next=/")
    room_id, day = clash
    refuse_booking(page, room_id, day)
    pages = {"booking": page.locator("main").inner_text()}
    screenshot(page, f"booking-{lang}")
    page.context.clear_cookies()
    page.goto(f"/lang/{lang}?next=/")
    refuse_login(page, email)
    pages["login"] = page.locator("main").inner_text()
    screenshot(page, f"login-{lang}")
    refuse_register(page)
    expect(page.locator("[data-error-summary]")).to_be_focused()
    pages["register"] = page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, f"register-{lang}")
    if lang == "en":
        for name, text in pages.items():
            # What the person typed (a Chinese title or credential number) is theirs; the rest is English.
            text = text.replace("读书会", "").replace("坏#号", "").replace("王小明", "")
            assert not HAN.search(text), (name, HAN.findall(text)[:20])
    else:
        assert "请检查以下内容后再次提交" in pages["booking"]
