"""The event form, the events list with a search and the month calendar fit a phone (390 px) and
a laptop (1366 px) in both languages, with no sideways scrolling; screenshots for the eye."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import ARTIFACTS, CHROMIUM_ARGS  # noqa: F401  (the browser fixtures' settings)
from events_factories import ahead, published

from app.extensions import db
from app.timezones import local_today

PASSWORD = "Talent2026ok"
WIDTHS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_event_pages_fit_without_sideways_scrolling(browser, live_server, log_in, make_user, width, language):
    organiser = make_user(role="organiser", district="liwan", name="荔湾组织者", password=PASSWORD)
    published(organiser, title="荔湾醒狮文化研学", kind="study_tour", theme="traditional_culture")
    published(
        organiser, title="醒狮少年研学营", kind="youth_camp", min_age=8, max_age=14, start=ahead(8, 9), end=ahead(8, 16)
    )
    published(organiser, title="科技人才交流沙龙", subtype="salon", start=ahead(9, 14), end=ahead(9, 16))
    day = local_today() + timedelta(days=7)
    db.session.commit()
    context = browser.new_context(base_url=live_server, viewport=WIDTHS[width], is_mobile=width == "390")
    page = context.new_page()
    try:
        log_in(page, organiser, PASSWORD)
        page.goto(f"/lang/{language}?next=/")
        for name, url in (
            ("event-form", "/events/new"),
            ("events-search", "/events?q=醒狮"),
            ("calendar-month", f"/calendar?year={day.year}&month={day.month}"),
        ):
            page.goto(url)
            if name == "event-form":
                page.locator("#kind").select_option("youth_camp")
                page.locator("#title").fill("醒狮少年研学营")
            wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"layout-{name}-{width}-{language}.png"), full_page=True)
            assert wide <= 0, f"{name} scrolls sideways by {wide}px at {width} in {language}"
    finally:
        context.close()
