"""Browser fixtures: the app on a live server and Debian's Chromium driven by Playwright.

Chromium comes from the system package (/usr/bin/chromium); without it these tests are skipped,
except under CI=true where a missing browser is a failure. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestConfig

CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (browser tests are required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"Debian's chromium is not installed at {CHROMIUM}: apt-get install chromium fonts-wqy-microhei")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install --require-hashes -r requirements-dev.lock")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class LiveConfig(TestConfig):
    WTF_CSRF_ENABLED = True


@pytest.fixture(scope="session")
def live_server(app):
    """The app with CSRF on, served by werkzeug in a thread over the suite's database."""

    class Config(LiveConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    live_app = create_app(Config)
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    # The browser reaches the app here, so this is the address its links must carry.
    live_app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with live_app.app_context():
        db.engine.dispose()


def _console_error(message) -> bool:
    # Browsers ask for /favicon.ico on their own; its absence is not a page error. Chromium also logs
    # every 4xx/5xx answer; those are judged by _failed_response (a form answered with 422 is fine).
    if message.text.startswith("Failed to load resource: the server responded with a status of"):
        return False
    return message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")


def _failed_response(response) -> str | None:
    """A server error on anything, or a failed sub-resource (script, style, image); pages answering
    a form with 4xx (a rule error shown on the form) are expected and checked by the tests themselves."""
    if response.url.endswith("/favicon.ico"):
        return None
    if response.status >= 500 or (response.status >= 400 and response.request.resource_type != "document"):
        return f"HTTP {response.status} {response.request.method} {response.url}"
    return None


def _failed_request(request) -> str | None:
    """A request the browser gave up on: refused by the CSP, a broken connection, a blocked mixed load."""
    # Leaving a page aborts what it was still loading (a deferred script, say): that is no failure.
    # A load refused by the CSP also writes a console error, which is caught there.
    if request.url.endswith("/favicon.ico") or request.failure == "net::ERR_ABORTED":
        return None
    return f"request failed: {request.method} {request.url} ({request.failure})"


@pytest.fixture
def open_page(browser, live_server, request):
    """open_page(viewport="phone"|"desktop") -> a Playwright page on the live server, in a fresh context.

    The test's own database session must not hold a transaction while the browser works (on SQLite
    it would hold the write lock): commit before driving pages. Console errors (a CSP violation,
    a failed script), server errors and failed requests fail the test; a failed test leaves a
    screenshot of each open page.
    """
    opened = []

    def _open(viewport: str = "phone"):
        db.session.commit()
        context = browser.new_context(
            base_url=live_server,
            viewport=VIEWPORTS[viewport],
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        # Buttons that undo something ask first; the journeys say yes and may check what was asked.
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.accept()))
        errors: list[str] = []
        page.on("console", lambda message: _console_error(message) and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: errors.extend(filter(None, [_failed_response(response)])))
        page.on("requestfailed", lambda request: errors.extend(filter(None, [_failed_request(request)])))
        opened.append((viewport, page, errors))
        return page

    yield _open
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    for viewport, page, errors in opened:
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}-{viewport}.png"), full_page=True)
        seen = list(errors)  # before closing: closing aborts what is still loading, which is no page error
        page.context.close()
        if not failed:
            assert seen == [], f"browser console errors on {viewport}: {seen}"


@pytest.fixture
def page(open_page):
    """A phone-sized page: talents use phones."""
    return open_page("phone")


@pytest.fixture
def screenshot(request):
    """screenshot(page, "step") saves test-artifacts/<test>-<step>.png (full page)."""

    def _shoot(page, step: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("[", "-").replace("]", "").replace("/", "-")
        path = ARTIFACTS / f"{name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


@pytest.fixture
def log_in():
    """log_in(page, user, password) signs in through the Chinese login page and waits for the logout button."""

    from playwright.sync_api import expect

    def _log_in(page, user, password: str) -> None:
        email, name = user.email, user.name
        db.session.commit()  # reading the user began a transaction: end it before the browser writes
        page.goto("/login")
        page.get_by_label("电子邮箱", exact=True).fill(email)
        page.get_by_label("密码", exact=True).fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        # The name shows in the header: on the folded phone menu's button, or beside "log out" on a desktop.
        expect(page.locator("header.site")).to_contain_text(name)

    return _log_in


def open_header_menu(page):
    """On a phone the header's links fold into a <details> menu: open it (nothing to do where it shows
    inline). Returns the header. The page's stylesheets decide which, so they are waited for first."""
    page.wait_for_load_state("load")
    summary = page.locator("header.site details.site-menu > summary")
    if summary.is_visible() and page.locator("header.site details.site-menu[open]").count() == 0:
        summary.click()
    return page.locator("header.site")


@pytest.fixture
def menu():
    """menu(page) opens the header's menu on a phone, so its links and the log-out button can be used."""
    return open_header_menu
