"""The README's screenshots (docs/screenshots/): taken here from the demo data in a real browser.

`UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_readme_screenshots.py` retakes them;
otherwise the test checks that each committed file is a PNG of its viewport's width, small enough to
keep in git, and shown by the README.
"""

from __future__ import annotations

import os
import struct
from datetime import timedelta
from pathlib import Path

import pytest

from app.demo import seed_demo
from app.extensions import db
from app.models import Event
from app.models.base import utcnow
from app.timezones import local_today

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MAX_BYTES = 300_000
UPDATE = os.environ.get("UPDATE_SCREENSHOTS", "") == "1"


def find_path() -> str:
    """A search for a Liwan room next Thursday afternoon: the free rooms, then the homes' timelines."""
    day = local_today() + timedelta(days=(3 - local_today().weekday()) % 7 or 7)
    return f"/bookings/find?home=liwan&date={day.isoformat()}&start=14:00&end=16:00"


def desk_path() -> str:
    """The check-in desk of the demo's latest finished Liwan event: its sign-ups checked in or not."""
    event = db.session.scalar(
        db.select(Event)
        .where(Event.host == "liwan", Event.status == "published", Event.ends_at < utcnow())
        .order_by(Event.ends_at.desc())
    )
    return f"/events/{event.id}/check-in"


# name -> (viewport, who is logged in (None: nobody), the page's path, what to scroll to the top (None: nothing))
SCREENSHOTS = {
    "find-phone.png": (PHONE, "talent.liwan@example.com", find_path, "main h2"),
    "calendar-desktop.png": (DESKTOP, None, lambda: "/calendar", None),
    "desk-phone.png": (PHONE, "organiser.liwan@example.com", desk_path, None),
}
PASSWORDS = {
    "talent.liwan@example.com": "Talent12345",
    "organiser.liwan@example.com": "Organiser123",
}


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; AssertionError when the file is not a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR", f"{path.name} has no IHDR chunk first"
    assert data[-8:-4] == b"IEND", f"{path.name} is truncated (no IEND chunk at its end)"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(not UPDATE, reason="set UPDATE_SCREENSHOTS=1 to retake the README's screenshots")
@pytest.mark.parametrize("name", SCREENSHOTS)
def test_take_screenshot(name, browser, live_server):
    viewport, email, path_of, scroll_to = SCREENSHOTS[name]
    seed_demo()
    db.session.commit()
    path = path_of()
    db.session.commit()  # reading began a transaction: end it before the browser works
    phone = viewport is PHONE
    context = browser.new_context(
        base_url=live_server, viewport=viewport, is_mobile=phone, has_touch=phone, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 500 and errors.append(f"HTTP {r.status} {r.url}"))
    if email:
        page.goto("/login")
        page.get_by_label("电子邮箱", exact=True).fill(email)
        page.get_by_label("密码", exact=True).fill(PASSWORDS[email])
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(lambda url: "/login" not in url)
    response = page.goto(path)
    assert response.status == 200, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    if scroll_to:
        page.locator(scroll_to).first.evaluate("element => element.scrollIntoView()")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))
    context.close()
    assert errors == []
    assert png_size(SHOTS / name) == (viewport["width"], viewport["height"])


@pytest.mark.parametrize("name", SCREENSHOTS)
def test_committed_screenshot(name):
    viewport = SCREENSHOTS[name][0]
    path = SHOTS / name
    assert path.is_file(), f"{path} is missing: UPDATE_SCREENSHOTS=1 pytest {__file__} takes it"
    assert png_size(path) == (viewport["width"], viewport["height"])
    assert path.stat().st_size <= MAX_BYTES, f"{name} is {path.stat().st_size} bytes: optimise it"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"](docs/screenshots/{name})" in readme, f"the README does not show {name}"
