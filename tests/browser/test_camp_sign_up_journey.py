"""A guardian signs two children up for a youth camp on a phone. The form is refused twice (no
emergency contact, then a child too old): each time every value typed is still there and the field
is marked. The camp's question is answered, and the answer reaches the roster's XLSX."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from events_factories import ahead, published
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.attendance.workbook import event_workbook
from app.events import questions
from app.extensions import db
from app.models import Event, Registration

PASSWORD = "Talent2026ok"


def born(years: int) -> str:
    first_day = date.fromisoformat(ahead(7)[:10])
    return first_day.replace(year=first_day.year - years).isoformat()


@pytest.fixture
def camp(homes, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, kind="youth_camp", title="岭南少年研学营", min_age=10, max_age=15, capacity=10)
    questions.replace_questions(
        organiser,
        event,
        [
            {
                "label_zh": "是否需要接送",
                "label_en": "Need a ride?",
                "kind": "choice",
                "options": ["需要", "不需要"],
                "required": True,
            }
        ],
    )
    camp_id = event.id
    db.session.commit()  # the browser writes next: no transaction may stay open here
    return camp_id


def fill_child(page, n: int, name: str, birth: str) -> None:
    page.locator(f"#children-{n}-name").fill(name)
    page.locator(f"#children-{n}-birth_date").fill(birth)
    page.locator(f"#children-{n}-guardian_relation").select_option("mother")


def test_camp_form_refused_twice_keeps_everything_then_signs_two_children_up(page, screenshot, log_in, camp, make_user):
    log_in(page, make_user(name="王芳", password=PASSWORD), PASSWORD)
    page.goto(f"/events/{camp}")
    expect(page.locator("#child-1")).to_be_visible()
    expect(page.locator("#child-2")).to_be_hidden()
    fill_child(page, 0, "李小红", born(11))
    page.get_by_label("需要", exact=True).check()
    page.get_by_label(re.compile("^我同意")).check()
    page.get_by_role("button", name="报名", exact=True).click()

    # First refusal: no emergency contact. The summary has the focus and links to the field.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("孩子 1 · 紧急联系人电话"))).to_be_visible()
    expect(page.locator("#children-0-emergency_contact_phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#children-0-name")).to_have_value("李小红")
    expect(page.locator("#children-0-birth_date")).to_have_value(born(11))
    expect(page.locator("#children-0-guardian_relation")).to_have_value("mother")
    expect(page.get_by_label("需要", exact=True)).to_be_checked()
    expect(page.get_by_label(re.compile("^我同意"))).to_be_checked()
    screenshot(page, "1-no-contact-zh")

    # The contact, then a second child (its relation and contact are copied from the first).
    page.locator("#children-0-emergency_contact_name").fill("王芳")
    page.locator("#children-0-emergency_contact_phone").fill("13800138000")
    page.get_by_role("button", name="再添加一个孩子").click()
    expect(page.locator("#child-2")).to_be_visible()
    expect(page.locator("#children-1-emergency_contact_phone")).to_have_value("13800138000")
    page.locator("#children-1-name").fill("王小明")
    page.locator("#children-1-birth_date").fill(born(16))
    page.get_by_role("button", name="报名", exact=True).click()

    # Second refusal: the child too old is named, with birth date and age; both children are kept.
    message = f"孩子 2：王小明 出生于 {born(16)}，年满 16 岁，超出 10–15 岁"
    expect(page.locator("#children-1-birth_date-error")).to_have_text(message)
    expect(page.locator("#children-1-birth_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#children-1-name")).to_have_value("王小明")
    expect(page.locator("#children-0-emergency_contact_phone")).to_have_value("13800138000")
    expect(page.locator("#children-1-guardian_relation")).to_have_value("mother")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "2-too-old-zh")

    page.locator("#children-1-birth_date").fill(born(13))
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page).to_have_url(re.compile("/me/registrations"))
    db.session.rollback()
    registration = db.session.scalar(db.select(Registration).where(Registration.event_id == camp))
    assert sorted(p.name for p in registration.participants) == ["李小红", "王小明"] and registration.places == 2
    sheet = load_workbook(io.BytesIO(event_workbook(db.session.get(Event, camp))))["名单"]
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]  # row 1 is the title
    assert "是否需要接送" in cells[0] and all("需要" in row for row in cells[1:3])
    db.session.rollback()


def test_camp_form_error_in_english(open_page, screenshot, log_in, live_server, camp, make_user):
    page = open_page("phone")
    log_in(page, make_user(password=PASSWORD), PASSWORD)
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.goto(f"/events/{camp}")
    fill_child(page, 0, "王小明", born(16))
    page.locator("#children-0-emergency_contact_name").fill("王芳")
    page.locator("#children-0-emergency_contact_phone").fill("12345")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("#children-0-emergency_contact_phone-error")).to_contain_text("020-81234567")
    expect(page.locator("#children-0-emergency_contact_phone")).to_have_value("12345")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "en-bad-phone")
