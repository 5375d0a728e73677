"""An organiser's attendance day on a phone: the desk refuses a code a week early and shows the window,
checks in a code at the right time, adds a walk-in of the other district; the published record, the
statistics page and the XLSX then show the same figures."""

from __future__ import annotations

import io
from datetime import timedelta

from attendance_factories import figures_on, make_event, register
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.extensions import db
from app.timezones import now_utc, to_local

PASSWORD = "Organiser2026"


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_desk_record_statistics_and_workbook_agree(open_page, screenshot, log_in, homes, make_user):
    organiser = make_user(role="organiser", district="liwan", name="荔湾组织者", password=PASSWORD)
    now = now_utc().replace(second=0, microsecond=0)
    next_week = make_event(title="下周交流会", start=now + timedelta(days=7))
    early = register(next_week, make_user(name="周一鸣", district="liwan"))
    # Ended half an hour ago: its check-in is still open (until two hours after the end), and its
    # record can be published.
    today = make_event(title="今日交流会", start=now - timedelta(minutes=90), hours=1)
    came = register(today, make_user(name="陈晓荔", district="liwan"))
    register(today, make_user(name="梁海鹏", district="nanhai"))
    opens, closes = (to_local(t).strftime("%Y-%m-%d %H:%M") for t in next_week.sessions[0].check_in_window)
    week_id, today_id, early_code, came_code = next_week.id, today.id, early.check_in_code, came.check_in_code
    day = to_local(today.starts_at).date().isoformat()
    db.session.commit()

    page = open_page("phone")
    log_in(page, organiser, PASSWORD)

    # A week early: refused, with the window in the message; nothing is checked in.
    page.goto(f"/events/{week_id}/check-in")
    page.get_by_role("textbox", name="签到码", exact=True).fill(early_code)
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".flash-error")).to_have_text(f"本场次的签到时间为 {opens} 至 {closes}。")
    no_sideways_scroll(page)
    screenshot(page, "1-week-early")

    # At the right time: the code is checked in.
    page.goto(f"/events/{today_id}/check-in")
    page.get_by_role("textbox", name="签到码", exact=True).fill(came_code)
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("已签到：陈晓荔（1 个名额）。")

    # A walk-in from the other district.
    walk_in = page.locator("form[action$='/check-in/walk-in']")
    walk_in.locator("input[name=name]").fill("路人乙")
    walk_in.locator("select[name=district]").select_option("nanhai")
    walk_in.locator("button[type=submit]").click()
    expect(page.locator("section[aria-labelledby=walkin-title] li", has_text="路人乙")).to_contain_text("南海")
    no_sideways_scroll(page)
    screenshot(page, "2-desk")

    # Publish the record; every place then shows the same figures.
    page.goto(f"/events/{today_id}/attendance")
    page.locator("form[action$='/attendance/publish'] button[type=submit]").click()
    expect(page.locator("main")).not_to_contain_text("此记录发布前仅组织者可见。")
    expected = {"registered": 2, "attended": 1, "no_show": 1, "walk_ins": 1, "present": 2}
    assert figures_on(page.content()) == expected
    no_sideways_scroll(page)
    screenshot(page, "3-record")

    page.goto(f"/statistics?start={day}&end={day}")
    assert figures_on(page.content()) == expected
    no_sideways_scroll(page)
    screenshot(page, "4-statistics")

    answer = page.request.get(f"/events/{today_id}/attendance.xlsx")
    assert answer.status == 200
    workbook = load_workbook(io.BytesIO(answer.body()))
    by_district = workbook["按区"]
    assert [c.value for c in by_district[by_district.max_row]][:6] == ["合计", 2, 1, 1, 1, 2]
    rows = {row[0]: row[1:6] for row in by_district.iter_rows(min_row=3, values_only=True)}
    assert rows["荔湾"] == (1, 1, 0, 0, 1) and rows["南海"] == (1, 0, 1, 1, 1)
