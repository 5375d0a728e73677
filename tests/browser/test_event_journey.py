"""Signing up for an event in a real browser: the list, the event page, consent, the ticket with its
check-in code and QR code; and, once the event is full, the next talent's place on the waiting list."""

from __future__ import annotations

import re

import pytest
from bookings_factories import iso, workday
from events_factories import published
from playwright.sync_api import expect

from app.events import registrations
from app.extensions import db
from app.models import Registration, User

PASSWORD = "Talent2026ok"
TITLE = "荔南人才徒步·白云山"


def sign_ups(event_id: int) -> list[tuple[str, str, str]]:
    """(name, status, check-in code) of the event's sign-ups in order, then the read ends."""
    db.session.rollback()
    rows = db.session.execute(
        db.select(User.name, Registration.status, Registration.check_in_code)
        .join(User, Registration.user_id == User.id)
        .where(Registration.event_id == event_id)
        .order_by(Registration.id)
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def sign_up_by_service(user, event_id: int) -> None:
    registrations.register(user, event_id, {"consent": True})
    db.session.commit()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_sign_up_with_consent_see_the_ticket_then_the_waiting_list(
    open_page, screenshot, log_in, menu, homes, make_user, viewport
):
    organiser = make_user(role="organiser", district="liwan", name="荔湾组织者")
    event = published(organiser, title=TITLE, capacity=2, description="从南门出发，沿古道登顶摩星岭。")
    event_id = event.id
    sign_up_by_service(make_user(name="早到的人"), event_id)
    talent = make_user(name="陈晓荔", password=PASSWORD)
    next_talent = make_user(name="梁海鹏", district="nanhai", password=PASSWORD)

    page = open_page(viewport)
    log_in(page, talent, PASSWORD)
    menu(page).get_by_role("navigation", name="主导航").get_by_role("link", name="活动", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("活动")
    card = page.locator("li.card", has=page.get_by_role("link", name=TITLE))
    expect(card).to_contain_text("交流活动 · 荔湾")
    expect(card).to_contain_text("白云山南门")
    expect(card.locator(".tag")).to_have_text("剩余 1 个名额")
    screenshot(page, "1-events-zh")

    card.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("dl.hours")).to_contain_text("剩余 1 / 共 2")
    expect(page.get_by_text("从南门出发，沿古道登顶摩星岭。")).to_be_visible()
    screenshot(page, "2-event-zh")

    # Without consent: the message, and nothing stored.
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("请同意本次报名适用的隐私声明。")
    expect(page).to_have_url(re.compile(rf"/events/{event_id}/register$"))
    screenshot(page, "3-no-consent-zh")
    assert [(name, status) for name, status, _code in sign_ups(event_id)] == [("早到的人", "confirmed")]

    page.get_by_label("我同意按照隐私声明，将我（及我孩子）的信息用于本次活动").check()
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me/registrations$"))
    expect(page.locator(".flash-success")).to_have_text("报名成功，签到码见您的入场凭证。")
    mine = page.locator("li.card", has=page.get_by_role("link", name=TITLE))
    expect(mine.locator(".tag")).to_have_text("已确认")
    screenshot(page, "4-my-sign-ups-zh")
    (_, status, code) = sign_ups(event_id)[1]
    assert status == "confirmed" and re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code)

    # The ticket: the code in two groups of four, and a QR code big enough to scan.
    mine.get_by_role("link", name="入场凭证").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("签到码", exact=True)).to_be_visible()
    expect(page.locator(".ticket-code span")).to_have_text([code[:4], code[4:]])
    qr = page.locator("figure.ticket-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150 and abs(box["width"] - box["height"]) < 2, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    expect(page.locator("figure.ticket-qr figcaption")).to_have_text("请在入口出示此码，可扫码或手动输入。")
    screenshot(page, "5-ticket-zh")

    # The event page now says so, and offers the ticket instead of the form.
    page.goto(f"/events/{event_id}")
    expect(page.locator("#sign-up .notice")).to_contain_text("您已获得名额。")
    expect(page.locator("#sign-up").get_by_role("button")).to_have_count(0)

    # Full: someone already waits, so the next talent is number 2 on the waiting list.
    sign_up_by_service(make_user(name="候补一号"), event_id)
    other = open_page(viewport)
    log_in(other, next_talent, PASSWORD)
    other.goto("/events")
    card = other.locator("li.card", has=other.get_by_role("link", name=TITLE))
    expect(card.locator(".tag")).to_have_text("已满 · 可候补")
    card.get_by_role("link", name=TITLE).click()
    expect(other.locator("dl.hours")).to_contain_text("剩余 0 / 共 2 · 1 人候补")
    other.get_by_label("我同意按照隐私声明，将我（及我孩子）的信息用于本次活动").check()
    screenshot(other, "6-full-event-zh")
    other.get_by_role("button", name="加入候补名单").click()
    expect(other.locator(".flash-info")).to_have_text("活动名额已满：您在候补名单中排第 2 位。")
    waiting = other.locator("li.card", has=other.get_by_role("link", name=TITLE))
    expect(waiting).to_contain_text("候补名单 第 2 位")
    expect(waiting.get_by_role("link", name="入场凭证")).to_have_count(0)
    screenshot(other, "7-waiting-list-zh")
    other.goto(f"/events/{event_id}")
    expect(other.locator("#sign-up .notice")).to_have_text("您在候补名单中排第 2 位。")
    assert [(name, status) for name, status, _code in sign_ups(event_id)] == [
        ("早到的人", "confirmed"),
        ("陈晓荔", "confirmed"),
        ("候补一号", "waitlisted"),
        ("梁海鹏", "waitlisted"),
    ]


def test_event_in_a_home_room_names_it_in_the_page_language(page, homes, make_user, room):
    """Fails today: events/_labels.html's venue() always prints the Chinese room and home names."""
    organiser = make_user(role="organiser", district="liwan")
    day = workday(3)
    published(
        organiser, title=TITLE, start=iso(day, "14:00"), end=iso(day, "16:00"), capacity=10, venue={"room_id": room.id}
    )
    page.goto("/events")
    card = page.locator("li.card", has=page.get_by_role("link", name=TITLE))
    expect(card).to_contain_text("研讨室 A · 荔南人才之家（荔湾）· 荔湾区党群服务中心")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(card).to_contain_text("Seminar room A · Talent Home (Liwan) · Liwan Party–Mass Service Centre")
    card.get_by_role("link", name=TITLE).click()
    expect(page.locator("dl.hours")).to_contain_text("Seminar room A · Talent Home (Liwan)")


def test_event_description_keeps_its_lines(page, homes, make_user):
    """Fails today: events/show.html prints the description in one <p> without `white-space: pre-line`,
    so an organiser's lines (stops, what to bring) run together into one block."""
    organiser = make_user(role="organiser", district="liwan")
    description = "集合：白云山南门\n请穿运动鞋，自带饮用水。\n雨天改期，另行通知。"
    event_id = published(organiser, title=TITLE, description=description).id
    page.goto(f"/events/{event_id}")
    text = page.locator("main").inner_text()
    assert "集合：白云山南门\n请穿运动鞋，自带饮用水。\n雨天改期，另行通知。" in text, text


def test_sign_up_message_is_seen_on_a_long_event_page(page, screenshot, log_in, homes, make_user):
    """Without consent, the talent must see why nothing happened, where they are on the page.

    Fails today: the refusal is a flash at the top of the page, but the redirect goes to #sign-up at
    the bottom, so on a phone with a long description the message is far above the screen."""
    organiser = make_user(role="organiser", district="liwan")
    description = "\n".join(f"第{n}站：沿古道步行约两公里，途中介绍荔湾与南海的人才合作项目。" for n in range(1, 25))
    event_id = published(organiser, title=TITLE, description=description).id
    talent = make_user(name="陈晓荔", password=PASSWORD)
    log_in(page, talent, PASSWORD)
    page.goto(f"/events/{event_id}")
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/events/{event_id}"))
    page.wait_for_load_state()
    screenshot(page, "1-no-consent-zh")
    on_screen = page.evaluate(
        """text => [...document.querySelectorAll("main *")].some(el => {
            if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.includes(text))) return false;
            const r = el.getBoundingClientRect();
            return r.bottom > 0 && r.top < innerHeight && r.width > 0;
        })""",
        "请同意本次报名适用的隐私声明",
    )
    assert on_screen, "the consent message is not on the screen after tapping 报名"
    assert sign_ups(event_id) == []


def test_events_filter_answers_a_mistyped_year(page, homes, make_user):
    """Fails today: /events?from=0001-01-01 (the 开始 date filter with a mistyped year) is a 500:
    local_day_bounds() overflows converting 0001-01-01 00:00 Asia/Shanghai to UTC."""
    published(make_user(role="organiser", district="liwan"), title=TITLE)
    page.goto("/events")
    page.get_by_label("开始", exact=True).fill("0001-01-01")
    with page.expect_response(re.compile(r"/events\?")) as answer:
        page.get_by_role("button", name="筛选").click()
    assert answer.value.status == 200, answer.value.status
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
