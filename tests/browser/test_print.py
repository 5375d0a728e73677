"""The attendance record on paper: the print stylesheet leaves the title, the figures and the districts'
table, black on white, and drops navigation, footer, buttons and forms."""

from __future__ import annotations

from datetime import timedelta

from attendance_factories import make_event, register
from playwright.sync_api import expect

from app.attendance import records
from app.extensions import db
from app.timezones import now_utc

PASSWORD = "Organiser2026"


def test_the_record_prints_without_the_screens_chrome(open_page, screenshot, log_in, make_user):
    organiser = make_user("organiser", district="liwan", name="荔湾组织者", password=PASSWORD)
    event = make_event(host="liwan", title="荔南人才交流会 · 打印", start=now_utc() - timedelta(days=2))
    register(event, make_user(district="liwan"))
    register(event, make_user(district="nanhai"), district="nanhai")
    records.publish_attendance(event, organiser)
    db.session.commit()
    page = open_page("desktop")
    log_in(page, organiser, PASSWORD)
    page.goto(f"/events/{event.id}/attendance")
    publish = page.get_by_role("button", name="重新发布考勤记录")
    expect(publish).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_have_text("荔南人才交流会 · 打印")
    record = page.locator(".attendance-record table").first
    expect(record).to_be_visible()
    expect(record).to_contain_text("荔湾")
    expect(record).to_contain_text("南海")
    for hidden in (page.locator(".main-nav"), page.locator("footer.site"), publish, page.locator(".actions")):
        expect(hidden).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(0, 0, 0)"
    screenshot(page, "print")
    assert page.pdf(format="A4").startswith(b"%PDF")
