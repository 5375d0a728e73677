"""The web calendar in a real browser: the month and list views with their filters show published
events (cancelled ones marked, drafts never); the subscribe page gives webcal links and QR codes."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from events_factories import ahead, event_body, published
from playwright.sync_api import expect

from app.events import services
from app.extensions import db
from app.timezones import local_today, parse_datetime, to_local

PASSWORD = "Talent2026ok"
HIKE = "荔南人才徒步·白云山"
TOUR = "红色文化研学路线·南海"
CANCELLED = "羽毛球友谊赛（取消）"
DRAFT = "尚未发布的沙龙"


@pytest.fixture
def calendar_events(homes, make_user) -> dict[str, date]:
    """A Liwan hike, a Nanhai red-culture study tour, a cancelled badminton match and a draft: their local days."""
    liwan = make_user(role="organiser", district="liwan")
    nanhai = make_user(role="organiser", district="nanhai")
    published(liwan, title=HIKE, start=ahead(7, 9), end=ahead(7, 12))
    published(
        nanhai,
        title=TOUR,
        kind="study_tour",
        subtype=None,
        theme="red_culture",
        host="nanhai",
        start=ahead(9, 9),
        end=ahead(9, 16),
        itinerary=[{"time": "09:30", "place": "南海博物馆"}],
    )
    match = published(liwan, title=CANCELLED, subtype="badminton", start=ahead(8, 14), end=ahead(8, 17))
    services.cancel_event(liwan, match.id, "场馆维修")
    services.create_event(liwan, event_body(title=DRAFT, subtype="salon", start=ahead(7, 14), end=ahead(7, 16)))
    db.session.commit()
    ahead_days = {HIKE: 7, TOUR: 9, CANCELLED: 8}
    return {title: to_local(parse_datetime(ahead(days))).date() for title, days in ahead_days.items()}


def weekday_zh(day: date) -> str:
    return "周" + "一二三四五六日"[day.weekday()]


def day_cell(page, day: date):
    """The month grid's cell of a day of the month shown."""
    return page.locator("table.month td:not(.other-month)").filter(
        has=page.locator("span.day").get_by_text(str(day.day), exact=True)
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_month_list_filters_and_subscribe(open_page, screenshot, log_in, menu, make_user, calendar_events, viewport):
    days = calendar_events
    talent = make_user(name="陈晓荔", password=PASSWORD)
    page = open_page(viewport)
    page.goto("/")
    menu(page).get_by_role("navigation", name="主导航").get_by_role("link", name="活动日历").click()
    today = local_today()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"活动日历 · {today.year}-{today.month:02d}")
    expect(page.locator("td[aria-current=date]")).to_contain_text(str(today.day))

    # Move to the month of the events (they are a week or so ahead).
    month = days[HIKE].replace(day=1)
    if month != today.replace(day=1):
        page.get_by_role("link", name=f"{month.year}-{month.month:02d} →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"活动日历 · {month.year}-{month.month:02d}")
    for title in (HIKE, TOUR, CANCELLED):
        if days[title].replace(day=1) == month:
            expect(day_cell(page, days[title]).get_by_role("link", name=title)).to_be_visible()
    if days[CANCELLED].replace(day=1) == month:
        expect(page.get_by_role("link", name=CANCELLED)).to_have_class(re.compile(r"\bcancelled\b"))
    expect(page.get_by_role("link", name=DRAFT)).to_have_count(0)
    screenshot(page, "1-month-zh")

    # Filter: Nanhai only; the month stays.
    page.get_by_label("所属区").select_option("nanhai")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"活动日历 · {month.year}-{month.month:02d}")
    expect(page.get_by_label("所属区")).to_have_value("nanhai")
    # An entry reads its kind (symbol and name), its start time, then the title.
    entry = re.compile(r"研学活动: \d{2}:\d{2} " + re.escape(TOUR) + "$")
    expect(page.locator("table.month a.entry")).to_have_text([entry] if days[TOUR].replace(day=1) == month else [])
    screenshot(page, "2-month-nanhai-zh")

    # The week view keeps the filter too: go to the week of the study tour.
    page.get_by_role("link", name="周", exact=True).click()
    tour_monday = days[TOUR] - timedelta(days=days[TOUR].weekday())
    for _week in range((tour_monday - (today - timedelta(days=today.weekday()))).days // 7):
        page.get_by_role("link", name="下一周 →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"活动日历 · {tour_monday.isoformat()} 起的一周")
    tour_day = page.locator("li.week-day").filter(
        has=page.get_by_role("heading", name=f"{weekday_zh(days[TOUR])} {days[TOUR].month}/{days[TOUR].day}")
    )
    expect(tour_day.get_by_role("link")).to_have_text([TOUR])
    expect(tour_day).to_contain_text("09:00–16:00")
    expect(page.get_by_role("link", name=HIKE)).to_have_count(0)
    screenshot(page, "3-week-nanhai-zh")

    # The list view keeps the filter; then study tours on red culture, then exchanges of both districts.
    page.get_by_role("link", name="列表", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("活动日历")
    entries = page.locator("main ol.list > li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(f"{days[TOUR].isoformat()} 09:00")
    expect(entries.first).to_contain_text(f"{TOUR} · ▲ 研学活动 · 南海")
    page.get_by_label("所属区").select_option("")
    page.get_by_label("类型").select_option("study_tour")
    page.get_by_label("主题").select_option("red_culture")
    page.get_by_role("button", name="筛选").click()
    expect(entries.get_by_role("link")).to_have_text([TOUR])
    page.get_by_label("类型").select_option("exchange")
    page.get_by_label("主题").select_option("")
    page.get_by_role("button", name="筛选").click()
    expect(entries.get_by_role("link")).to_have_text([HIKE, CANCELLED])
    cancelled = entries.filter(has_text=CANCELLED)
    expect(cancelled).to_have_class(re.compile(r"\bcancelled\b"))
    expect(cancelled.locator(".tag")).to_have_text("已取消")
    screenshot(page, "4-list-exchanges-zh")
    page.get_by_role("link", name=HIKE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HIKE)

    # Subscribe, without an account: the public feed as a webcal link, an address to copy and a QR code.
    page.goto("/calendar/list")
    page.get_by_role("link", name="订阅", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("订阅日历")
    public_url = page.get_by_label("或将此地址复制到您的日历应用中：").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar\.ics", public_url), public_url
    webcal = public_url.replace("http://", "webcal://", 1)
    expect(page.get_by_role("link", name="订阅", exact=True)).to_have_attribute("href", webcal)
    qr = page.locator("figure.qr svg")
    expect(qr).to_have_count(1)
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 120
    expect(page.get_by_text("您的专属地址：")).to_have_count(0)
    screenshot(page, "5-subscribe-zh")

    # What a calendar app gets from that address: the published events, the cancelled one marked, no draft.
    feed = page.request.get(public_url)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    text = feed.text()
    assert HIKE in text and TOUR in text and CANCELLED in text and DRAFT not in text
    assert "STATUS:CANCELLED" in text
    nanhai_only = page.request.get(public_url + "?district=nanhai").text()
    assert TOUR in nanhai_only and HIKE not in nanhai_only

    # Logged in: the personal address too, with its own QR code.
    log_in(page, talent, PASSWORD)
    page.goto("/calendar/subscribe")
    personal_url = page.get_by_label("您的专属地址：").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/[^/]+\.ics", personal_url), personal_url
    personal = page.locator("section", has=page.get_by_label("您的专属地址："))
    expect(personal.get_by_role("link", name="订阅", exact=True)).to_have_attribute(
        "href", personal_url.replace("http://", "webcal://", 1)
    )
    expect(page.locator("figure.qr svg")).to_have_count(2)
    expect(personal.locator("figure.qr svg")).to_be_visible()
    assert page.request.get(personal_url).ok
    screenshot(page, "6-subscribe-personal-zh")
