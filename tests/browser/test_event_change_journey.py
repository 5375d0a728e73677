"""An organiser builds a three-day camp with a day-2 itinerary in the form shaped by its kind,
publishes it, moves its start and is shown the registrants' count before saving; a registrant
opens the change notice in the message centre and sees old → new."""

from __future__ import annotations

import re

from attendance_factories import register
from events_factories import ahead
from playwright.sync_api import expect

from app.extensions import db
from app.models import Event

PASSWORD = "Talent2026ok"
TITLE = "荔南科技研学营"


def _latest_event_id() -> int:
    db.session.rollback()
    event_id = db.session.scalar(db.select(Event.id).where(Event.title == TITLE))
    db.session.rollback()
    return event_id


def _submit(page, name: str) -> None:
    """Press the button from the keyboard (after a full-page screenshot a pointer click may land
    where the button was before the capture)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).press("Enter")


def _fill_camp(page, days) -> None:
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("类型", exact=True).select_option("youth_camp")
    expect(page.locator('fieldset[data-kinds="exchange"]')).to_be_hidden()
    expect(page.locator('fieldset[data-kinds="youth_camp"]')).to_be_visible()
    page.get_by_label("最小年龄").fill("8")
    page.get_by_label("最大年龄").fill("14")
    page.get_by_label("场次").fill("\n".join(f"{d} 09:00-17:00 第{n}天" for n, d in zip("一二三", days, strict=True)))
    page.get_by_label("行程").fill(f"{days[1]} 09:30 粤剧艺术博物馆\n{days[0]} 09:00 集合\n{days[0]} 14:00 醒狮馆")
    page.get_by_label("或填写地址").fill("岭南V谷产业园")
    page.get_by_label("名额", exact=True).fill("30")


def test_camp_built_published_moved_with_warning_and_notice_read(open_page, screenshot, log_in, make_user):
    organiser = make_user(role="organiser", district="liwan", name="荔湾组织者", password=PASSWORD)
    parents = [make_user(name=f"家长{n}", password=PASSWORD) for n in range(2)]
    days = [ahead(10 + n)[:10] for n in range(3)]

    page = open_page("desktop")
    log_in(page, organiser, PASSWORD)
    page.goto("/events/new")
    _fill_camp(page, days)
    expect(page.locator('[data-preview="title"]')).to_have_text(TITLE)
    screenshot(page, "1-camp-form")
    _submit(page, "保存为草稿")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#sign-up")).to_contain_text("本活动是草稿")
    itinerary = page.locator("ol.itinerary li")
    expect(itinerary).to_have_count(3)
    expect(itinerary.nth(2)).to_contain_text("第 2 天")
    expect(itinerary.nth(2)).to_contain_text("粤剧艺术博物馆")
    _submit(page, "发布")
    expect(page.locator(".flash").first).to_contain_text("已发布")

    event = db.session.get(Event, _latest_event_id())
    for parent in parents:
        register(event, parent, children=[f"{parent.name}的孩子"])
    db.session.commit()

    page.get_by_role("link", name="编辑").click()
    sessions = page.get_by_label("场次")
    sessions.fill(sessions.input_value().replace(f"{days[0]} 09:00", f"{days[0]} 10:00"))
    _submit(page, "保存")
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("将向 2 位报名者发送邮件")
    expect(warning).to_contain_text("早于新的开始时间")
    expect(warning).to_contain_text("09:00 集合")
    screenshot(page, "2-change-warning")
    _submit(page, "仍然保存")
    expect(page.locator(".flash").first).to_contain_text("已保存")

    reader = open_page("phone")
    log_in(reader, parents[0], PASSWORD)
    reader.goto("/me/notifications")
    expect(reader.locator(".unread-count")).to_contain_text("未读")
    reader.get_by_role("link", name=re.compile(TITLE)).first.click()
    body = reader.locator(".message-body")
    expect(body).to_contain_text(f"时间（第 1 场）：{days[0]} 09:00–17:00 → {days[0]} 10:00–17:00")
    expect(body).not_to_contain_text("第 2 场")
    screenshot(reader, "3-change-notice")
    reader.get_by_role("link", name="查看活动").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
