"""The check-in desk in a real browser: the organiser types a talent's code (as people do: lower case,
with the hyphen), sees who is checked in; the same code again and an unknown code get their messages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from events_factories import published
from playwright.sync_api import expect

from app.events import registrations
from app.extensions import db
from app.models import CheckIn
from app.timezones import iso_local, now_utc

PASSWORD = "Organiser2026"
TITLE = "荔南科技人才交流会"


def check_ins(event_id: int) -> list[tuple[int, int]]:
    """(registration id, places) of the event's check-ins, then the read ends (SQLite's lock)."""
    db.session.rollback()
    rows = db.session.execute(
        db.select(CheckIn.registration_id, CheckIn.places).where(CheckIn.event_id == event_id).order_by(CheckIn.id)
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_desk_checks_in_by_typed_code_once(open_page, screenshot, log_in, homes, make_user, viewport):
    organiser = make_user(role="organiser", district="liwan", name="荔湾组织者", password=PASSWORD)
    soon = now_utc().replace(second=0, microsecond=0) + timedelta(minutes=30)  # its check-in is open
    start, end = iso_local(soon), iso_local(soon + timedelta(hours=2))
    event = published(organiser, title=TITLE, subtype="tech_exchange", capacity=10, start=start, end=end)
    event_id = event.id
    talent = make_user(name="陈晓荔")
    registration = registrations.register(talent, event_id, {"consent": True})
    registrations.register(make_user(name="梁海鹏", district="nanhai"), event_id, {"consent": True})
    db.session.commit()
    registration_id, code = registration.id, registration.check_in_code
    typed = f"{code[:4]}-{code[4:]}".lower()

    page = open_page(viewport)
    log_in(page, organiser, PASSWORD)
    page.goto("/events")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="签到台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("签到台")
    expect(page.locator(".checkin-count")).to_have_text("本场次已签到：0 / 2 个报名名额")
    code_input = page.get_by_role("textbox", name="签到码", exact=True)
    expect(code_input).to_be_focused()
    screenshot(page, "1-desk-zh")

    # The talent's code, typed in lower case with the hyphen.
    code_input.fill(typed)
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("已签到：陈晓荔（1 个名额）。")
    expect(page.locator(".checkin-count")).to_have_text("本场次已签到：1 / 2 个报名名额")
    checked_row = page.locator("table.roster tbody tr", has_text="陈晓荔")
    expect(checked_row).to_have_class(re.compile(r"\bchecked\b"))
    expect(checked_row.get_by_role("button", name="撤销")).to_be_visible()
    expect(page.locator("table.roster tbody tr", has_text="梁海鹏").get_by_role("checkbox")).not_to_be_checked()
    screenshot(page, "2-checked-in-zh")
    assert check_ins(event_id) == [(registration_id, 1)]

    # The same code again: already checked in, at the time shown in the roster.
    checked_at = checked_row.locator("td").first.inner_text().strip().split()[-2]
    assert re.fullmatch(r"\d\d:\d\d", checked_at), checked_at
    page.get_by_role("textbox", name="签到码", exact=True).fill(code)
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".flash-error")).to_have_text(f"已于 {checked_at} 签到。")
    expect(page.locator(".checkin-count")).to_have_text("本场次已签到：1 / 2 个报名名额")
    screenshot(page, "3-already-zh")

    # A code nobody at this event has.
    unknown = "2222-ZZZZ" if code != "2222ZZZZ" else "3333-YYYY"
    page.get_by_role("textbox", name="签到码", exact=True).fill(unknown)
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".flash-error")).to_have_text("签到码无效：本活动没有对应的报名。")
    screenshot(page, "4-unknown-zh")

    # Nothing typed: the browser asks for the code and sends nothing (the page still shows the last message).
    empty = page.get_by_role("textbox", name="签到码", exact=True)
    expect(empty).to_have_value("")
    page.get_by_role("button", name="签到", exact=True).click()
    assert empty.evaluate("input => input.validity.valueMissing")
    expect(page.locator(".flash-error")).to_have_text("签到码无效：本活动没有对应的报名。")
    assert check_ins(event_id) == [(registration_id, 1)]
