"""Accessibility audit: axe-core (from npm, installed by .ci/run) run in Chromium on the main pages, in
Chinese and in English. WCAG 2.0/2.1 A and AA rules; a serious or critical violation fails the page.

axe is injected as a script, so these pages open in a context that bypasses the app's CSP
(`script-src 'self'`); the journeys in the other files keep the CSP on. The pages are only read, so
the data is made once for the module (see `audit_data`) instead of once per test.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from attendance_factories import make_event, register
from bookings_factories import add_booking, workday
from events_factories import ahead, published
from tables import wipe

from app.admin.holiday_services import set_holiday
from app.attendance import services as attendance
from app.auth.registry import import_registry
from app.auth.services import create_user
from app.demo import seed_homes
from app.extensions import db
from app.models import Home, Room
from app.notifications.outbox import in_user_locale, notify
from app.timezones import local_datetime, parse_hhmm, to_local

AXE_JS = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
PASSWORD = "Talent2026ok"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

# page -> (who is logged in, viewport). Talents' pages are used on phones; staff pages on desktops and,
# on the move, on phones too (STAFF_ON_PHONES adds a phone twin of each).
PAGES = {
    "home": (None, "phone"),
    "login": (None, "phone"),
    "register": (None, "phone"),
    "register-errors": (None, "phone"),
    "home-liwan": ("talent", "phone"),
    "room": ("talent", "phone"),
    "room-search": ("talent", "phone"),
    "booking-form": ("talent", "phone"),
    "booking-form-errors": ("talent", "phone"),
    "my-bookings": ("talent", "phone"),
    "events": ("talent", "phone"),
    "event-sign-up": ("talent", "phone"),
    "camp-sign-up": ("talent", "phone"),
    "camp-sign-up-errors": ("talent", "phone"),
    "my-sign-ups": ("talent", "phone"),
    "calendar-month": ("talent", "desktop"),
    "calendar-week": ("talent", "phone"),
    "calendar-list": ("talent", "phone"),
    "events-search": ("talent", "phone"),
    "events-archive": ("talent", "phone"),
    "messages": ("talent", "phone"),
    "message": ("talent", "phone"),
    "event-form": ("organiser", "desktop"),
    "check-in-desk": ("organiser", "desktop"),
    "schedule": ("organiser", "desktop"),
    "schedule-phone": ("organiser", "phone"),
    "menu-open": ("organiser", "phone"),
    "statistics": ("organiser", "desktop"),
    "approvals": ("organiser", "desktop"),
    "credentials-pending": ("organiser", "desktop"),
    "roster": ("organiser", "desktop"),
    "audit": ("admin", "desktop"),
    "users": ("admin", "desktop"),
    "registry": ("admin", "desktop"),
    "registry-entries": ("admin", "desktop"),
    "holidays": ("admin", "desktop"),
    "holidays-errors": ("admin", "desktop"),
    "undelivered-mail": ("admin", "desktop"),
}
STAFF_ON_PHONES = [name for name, (role, viewport) in PAGES.items() if role != "talent" and viewport == "desktop"]
PAGES.update({f"{name}-phone": (PAGES[name][0], "phone") for name in STAFF_ON_PHONES})
# Pages seen after sending their form empty: fields with errors, aria-invalid and aria-describedby.
SUBMIT_EMPTY = {
    "register-errors",
    "booking-form-errors",
    "camp-sign-up-errors",
    "holidays-errors",
    "holidays-errors-phone",
}
# Pages seen with the phone header's menu opened (its groups and the log-out button are then shown).
OPEN_MENU = {"menu-open"}
# What a page must show for its audit to cover its content, not an empty state.
SHOWS = {
    "room-search": (
        "main .cards .card a.button",
        "table.timeline td.tl-free a",
        "table.timeline td.tl-yours a",
        "table.timeline td.tl-booked.tl-pending",
        ".tl-scroll[role=region][tabindex='0']",
    ),
    "room": ("table.timeline td.tl-yours a", ".tl-day"),
    "schedule": ("table.timeline td.tl-block a", "main table.schedule-list tbody td"),
    "audit": ("main table tbody td code",),
    "approvals": ("main form button",),
    "users": ("main table tbody select",),
    "registry-entries": ("main table tbody td",),
    "holidays": ("main table tbody .tag", "main table tbody form button"),
    "menu-open": ("header.site .manage-nav a", "header.site .main-nav button.link"),
    "my-bookings": ("main .cards .card",),
    "events": ("main .cards .card",),
    "event-sign-up": ("#sign-up form input[type=checkbox]",),
    "camp-sign-up": ("#sign-up .notice", "#sign-up form fieldset input"),
    "my-sign-ups": ("main .cards .card",),
    "calendar-month": ("table.month a.entry",),
    "calendar-week": ("ol.week a",),
    "calendar-list": ("ol.list a",),
    "events-search": ("main .cards .card", "input[type=search]"),
    "events-archive": ("main .cards .card",),
    "messages": ("main .notification-list a",),
    "message": ("main .message-body p",),
    "event-form": ("fieldset[data-kinds]", ".event-preview"),
    "check-in-desk": ("table.roster input[type=checkbox]", "table.roster button.link"),
    "statistics": (".charts svg", "main table tbody th"),
}
SHOWS.update({f"{name}-phone": SHOWS[name] for name in STAFF_ON_PHONES if name in SHOWS})


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.is_file():
        reason = (
            "axe-core is not installed at tests/browser/.axe: "
            "bash .ci/run installs it (npm install --no-save --prefix tests/browser/.axe axe-core@<version>)"
        )
        if _in_ci():
            pytest.fail(f"{reason} (accessibility checks are required in CI)")
        pytest.skip(reason)
    return AXE_JS.read_text(encoding="utf-8")


def _build() -> tuple[dict[str, str], dict[str, str]]:
    """Both homes; a talent with bookings and sign-ups; an organiser with an event to check in and
    an ended one for the statistics. Returns the URL of each page in PAGES and the accounts' e-mails."""
    seed_homes()
    organiser = create_user("organiser.a11y@example.com", PASSWORD, "周组织", "organiser", "liwan")
    talent = create_user("talent.a11y@example.com", PASSWORD, "林晓南", "talent", "liwan", "liwan_yingcai:A11Y001")
    nanhai = create_user("nanhai.a11y@example.com", PASSWORD, "陈南海", "talent", "nanhai", "nanhai_kunpeng:A11Y002")
    guest = create_user("guest.a11y@example.com", PASSWORD, "黄嘉宾", "talent", "liwan", "liwan_yingcai:A11Y003")
    admin = create_user("admin.a11y@example.com", PASSWORD, "郑管理", "admin", None)
    create_user("pending.a11y@example.com", PASSWORD, "何待审", "talent", "nanhai", "nanhai_kunpeng:A11Y999")
    db.session.commit()
    liwan = db.session.scalar(db.select(Home).where(Home.district == "liwan"))
    room = db.session.scalar(db.select(Room).where(Room.home_id == liwan.id).order_by(Room.id))
    day = workday(3)
    at = lambda hhmm: local_datetime(day, parse_hhmm(hhmm))  # noqa: E731
    add_booking(room, talent, at("10:00"), at("11:00"), title="读书会")
    add_booking(room, nanhai, at("14:00"), at("16:00"), status="pending")

    exchange = published(organiser, title="荔南人才徒步", start=ahead(6, 9), end=ahead(6, 12))
    camp = published(
        organiser,
        kind="youth_camp",
        subtype=None,
        title="科技研学营",
        min_age=8,
        max_age=14,
        start=ahead(8, 9),
        end=ahead(8, 16),
    )
    held = register(exchange, nanhai, district="nanhai")
    register(exchange, guest)
    register(camp, talent, children=["林小南"])
    first = exchange.sessions[0]
    attendance.check_in_by_code(exchange, held.check_in_code, organiser, first.id, now=first.starts_at)
    db.session.commit()

    past = make_event(start=to_local(exchange.starts_at).replace(day=1) - timedelta(days=40), title="往期交流会")
    code, opening = register(past, talent).check_in_code, past.sessions[0]
    attendance.check_in_by_code(past, code, organiser, opening.id, now=opening.starts_at)
    register(past, nanhai, district="nanhai")
    db.session.commit()

    import_registry(
        [["发证单位", "编号", "持有人", "有效期至"], ["荔湾英才卡", "A11Y001", "林晓南", "2027-12-31"]], admin
    )
    set_holiday(admin, date(2026, 3, 2), "holiday", "荔南人才日", "Liwan–Nanhai Talent Day")
    db.session.commit()

    event_day = to_local(exchange.starts_at).date()
    with in_user_locale(talent):
        notice_id = notify(talent, "event_changed", "活动变更：科技研学营", "您好，\n\n时间：… → …", event_id=camp.id)
    db.session.commit()
    urls = {
        "home": "/",
        "login": "/login",
        "register": "/register",
        "register-errors": "/register",
        "home-liwan": "/homes/liwan",
        "room": f"/rooms/{room.id}?from={day.isoformat()}",
        "room-search": f"/bookings/find?date={day.isoformat()}&start=10:00&end=11:00",
        "booking-form": f"/rooms/{room.id}/book?date={day.isoformat()}&start=15:00",
        "booking-form-errors": f"/rooms/{room.id}/book?date={day.isoformat()}&start=15:00",
        "my-bookings": "/bookings/mine",
        "events": "/events",
        "event-sign-up": f"/events/{exchange.id}",
        "camp-sign-up": f"/events/{camp.id}",
        "camp-sign-up-errors": f"/events/{camp.id}",
        "my-sign-ups": "/me/registrations",
        "calendar-month": f"/calendar?year={event_day.year}&month={event_day.month}",
        "calendar-week": f"/calendar/week?date={event_day.isoformat()}",
        "calendar-list": "/calendar/list",
        "events-search": "/events?q=徒步",
        "events-archive": "/events/past",
        "messages": "/me/notifications",
        "message": f"/me/notifications/{notice_id}",
        "event-form": f"/events/{camp.id}/edit",
        "check-in-desk": f"/events/{exchange.id}/check-in",
        "schedule": f"/homes/liwan/schedule?date={day.isoformat()}",
        "schedule-phone": f"/homes/liwan/schedule?date={day.isoformat()}",
        "menu-open": "/",
        "statistics": f"/statistics?start={date(to_local(past.starts_at).year, 1, 1).isoformat()}",
        "approvals": "/bookings/approvals",
        "credentials-pending": "/credentials/pending",
        "roster": f"/events/{exchange.id}/roster",
        "audit": "/admin/audit",
        "users": "/admin/users",
        "registry": "/admin/registry",
        "registry-entries": "/admin/registry/entries",
        "holidays": "/admin/holidays?year=2026",
        "holidays-errors": "/admin/holidays?year=2026",
        "undelivered-mail": "/admin/notifications",
    }
    urls.update({f"{name}-phone": urls[name] for name in STAFF_ON_PHONES if f"{name}-phone" not in urls})
    emails = {"talent": talent.email, "organiser": organiser.email, "admin": admin.email}
    db.session.commit()
    return urls, emails


@pytest.fixture(scope="module")
def audit_data(app, axe_source):
    with app.app_context():
        try:
            yield _build()
        finally:
            db.session.remove()
            wipe()
            db.session.remove()


@pytest.fixture(autouse=True)
def app_ctx(app, audit_data):
    """Replaces the suite's per-test app context, which empties the database after each test:
    here the module's data stays until its last test (audit_data empties it then)."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture(scope="module")
def signed_in(browser, live_server, audit_data):
    """Each role's cookies after logging in through the login form once: {role: storage state}."""
    _urls, emails = audit_data
    states = {}
    for role, email in emails.items():
        context = browser.new_context(base_url=live_server)
        page = context.new_page()
        page.goto("/login")
        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        page.locator("#password").press("Enter")
        page.wait_for_url(lambda url: "/login" not in url)
        states[role] = context.storage_state()
        context.close()
    return states


@pytest.fixture
def audit_page(browser, live_server, signed_in, request):
    """audit_page(viewport, role) -> a page in a context that bypasses the CSP, so that axe can be
    injected; logged in as `role` (None: a visitor). A failed test leaves a screenshot."""
    contexts = []

    def _open(viewport: str, role: str | None):
        context = browser.new_context(
            base_url=live_server,
            viewport=VIEWPORTS[viewport],
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            bypass_csp=True,
            storage_state=signed_in[role] if role else None,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    report = getattr(request.node, "report_call", None)
    for context in contexts:
        if report is None or report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
            for page in context.pages:
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
        context.close()


def run_axe(page, source: str) -> list[dict]:
    """axe.run() on the whole document: the violations, with their nodes' targets."""
    page.add_script_tag(content=source)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
            }));
        }""",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            reason = node["summary"].strip().splitlines()[-1].strip() if node["summary"].strip() else ""
            lines.append(f"    {node['target']} — {reason}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(audit_page, axe_source, audit_data, name, language):
    urls, _emails = audit_data
    role, viewport = PAGES[name]
    page = audit_page(viewport, role)
    # The header's switch is a POST form; its GET twin keeps the language in the session the same way.
    response = page.goto(f"/lang/{language}?next={quote(urls[name])}")
    assert response.status == 200, f"{urls[name]} answered {response.status}"
    if name in SUBMIT_EMPTY:
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").last.press("Enter")
        assert page.locator("[aria-invalid=true]").count() > 0, "the empty form came back without field errors"
    if name in OPEN_MENU:
        page.locator("header.site details.site-menu > summary").click()
        assert page.locator("header.site details.site-menu[open]").count() == 1
    if viewport == "phone":  # the page never scrolls sideways on a phone (a timeline scrolls inside itself)
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if language == "zh" else "en")
    for selector in SHOWS.get(name, ()):
        assert page.locator(selector).count() > 0, f"{urls[name]} shows no {selector}"

    violations = run_axe(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:  # not failures; shown with -rP, or with the failure
        print(f"moderate or minor on {urls[name]} [{language}]:\n{describe(others)}")
    assert not blocking, f"serious or critical on {urls[name]} [{language}]:\n{describe(blocking)}"
