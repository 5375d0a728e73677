"""The holiday calendar page (administrators only), `import-holidays`, and the booking pages' notice
for a year whose holidays are not published yet."""

from __future__ import annotations

import codecs
from datetime import date

import pytest
from test_language_walk import visible_text

from app.extensions import db
from app.models import AuditEntry, HolidayOverride


@pytest.fixture
def admin_client(make_user, login):
    admin = make_user(role="admin", district=None)
    return login(admin), admin


def _overrides() -> dict[date, HolidayOverride]:
    return {e.day: e for e in db.session.scalars(db.select(HolidayOverride))}


def test_the_year_shows_package_days_and_entries_in_the_page_language(admin_client):
    client, admin = admin_client
    client.post("/admin/holidays?year=2026", data={"day": "2026-12-07", "kind": "holiday", "name_zh": "荔南人才日"})
    page = client.get("/admin/holidays?year=2026").get_data(as_text=True)
    assert "春节" in page and "2026-01-04" in page and "荔南人才日" in page
    assert "内置日历" in page and "管理员录入" in page
    client.set_cookie("lang", "en")
    page = client.get("/admin/holidays?year=2026").get_data(as_text=True)
    assert "Spring Festival" in page and "春节" not in page
    assert "Built-in calendar" in page and "Entered by an administrator" in page


def test_only_administrators_reach_the_page(make_user, login, client):
    assert client.get("/admin/holidays").status_code == 302  # to the log-in page
    for role in ("organiser", "talent"):
        user = make_user(role=role, district="liwan")
        signed_in = login(user)
        assert signed_in.get("/admin/holidays").status_code == 403
        assert signed_in.post("/admin/holidays", data={"day": "2026-12-07", "kind": "holiday"}).status_code == 403
        signed_in.post("/logout")
    assert _overrides() == {}


def test_an_entry_is_saved_and_audited_with_its_actor(admin_client):
    client, admin = admin_client
    response = client.post(
        "/admin/holidays?year=2027",
        data={"day": "2027-02-06", "kind": "workday", "name_zh": "", "name_en": ""},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/holidays?year=2027")
    assert _overrides()[date(2027, 2, 6)].kind == "workday"
    (entry,) = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "holiday_added"))
    assert entry.actor_id == admin.id


def test_bad_input_is_shown_beside_its_field_with_the_values_kept(admin_client):
    client, _admin = admin_client
    response = client.post(
        "/admin/holidays?year=2026",
        data={"day": "2026-12-07", "kind": "holiday", "name_zh": "", "name_en": "Kept Name"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="name_zh-error"' in page and "请填写节日的中文名称" in page
    assert 'value="Kept Name"' in page and 'value="2026-12-07"' in page
    assert 'aria-invalid="true"' in page
    response = client.post("/admin/holidays", data={"day": "2026-13-40", "kind": "holiday", "name_zh": "某日"})
    assert 'id="day-error"' in response.get_data(as_text=True)
    assert _overrides() == {}


def test_a_row_link_fills_the_form_and_remove_gives_the_date_back(admin_client):
    client, admin = admin_client
    page = client.get("/admin/holidays?year=2026&date=2026-02-17").get_data(as_text=True)
    assert 'value="2026-02-17"' in page and 'value="春节"' in page
    client.post("/admin/holidays?year=2026", data={"day": "2026-10-08", "kind": "holiday", "name_zh": "国庆节"})
    entry = _overrides()[date(2026, 10, 8)]
    response = client.post(f"/admin/holidays/{entry.id}/delete")
    assert response.status_code == 302 and _overrides() == {}
    actions = [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["holiday_added", "holiday_removed"]


def test_the_admin_menu_links_the_page(admin_client):
    client, _admin = admin_client
    assert 'href="/admin/holidays"' in client.get("/").get_data(as_text=True)


def test_booking_pages_say_when_the_years_holidays_are_not_published(homes, room, make_user, login, admin_client):
    client, admin = admin_client
    notice = "本年度法定节假日尚未公布"
    assert notice in client.get("/bookings/find?date=2027-01-12").get_data(as_text=True)
    assert notice not in client.get("/bookings/find?date=2026-12-08").get_data(as_text=True)
    assert notice in client.get(f"/rooms/{room.id}/book?date=2027-01-12&start=10:00").get_data(as_text=True)
    client.post("/admin/holidays", data={"day": "2027-02-06", "kind": "holiday", "name_zh": "春节"})
    assert notice not in client.get("/bookings/find?date=2027-01-12").get_data(as_text=True)


ZH_FILE = (
    "日期,类型,中文名称,英文名称\n2027-01-01,放假,元旦,New Year's Day\n2027/2/6,放假,春节,Spring Festival\n"
    "2027-02-20,上班,,\n"
)
EN_FILE = "date,kind,name_zh,name_en\n2027-01-01,holiday,元旦,New Year's Day\n2027-02-20,workday,,\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + ZH_FILE.encode("utf-8"),
        ZH_FILE.encode("utf-8"),
        ZH_FILE.encode("gbk"),
        EN_FILE.encode("utf-8"),
        codecs.BOM_UTF8 + EN_FILE.encode("utf-8"),
    ],
    ids=["zh-bom", "zh", "zh-gbk", "en", "en-bom"],
)
def test_import_holidays_replaces_the_years_entries(runner, tmp_path, make_user, data):
    admin = make_user(role="admin", district=None)
    db.session.add(HolidayOverride(day=date(2027, 3, 3), kind="holiday", name_zh="旧条目", created_by_id=admin.id))
    db.session.add(HolidayOverride(day=date(2026, 12, 7), kind="holiday", name_zh="别年", created_by_id=admin.id))
    db.session.commit()
    path = tmp_path / "holidays.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["import-holidays", str(path)])
    assert result.exit_code == 0, result.output
    stored = _overrides()
    assert date(2027, 3, 3) not in stored and stored[date(2026, 12, 7)].name_zh == "别年"
    assert stored[date(2027, 1, 1)].name_en == "New Year's Day" and stored[date(2027, 2, 20)].kind == "workday"
    assert f"2027：保存 {len(stored) - 1} 个日期，替换了 1 个" in result.output
    (entry,) = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "holidays_imported"))
    assert '"year": 2027' in entry.detail and '"replaced": 1' in entry.detail


def test_import_holidays_reports_every_bad_line_and_stores_nothing(runner, tmp_path):
    db.session.add(HolidayOverride(day=date(2027, 3, 3), kind="holiday", name_zh="旧条目"))
    db.session.commit()
    path = tmp_path / "holidays.csv"
    path.write_text(
        "date,kind,name_zh,name_en\n2027-01-01,holiday,元旦,\n2027-02-30,holiday,春节,\n"
        "2027-02-06,closed,春节,\n2027-02-08,holiday,,\n2027-01-01,holiday,元旦,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-holidays", "--lang", "en", str(path)])
    assert result.exit_code == 1
    for line in ("Line 3:", "Line 4:", "Line 5:", "Line 6:"):
        assert line in result.output
    assert "Line 2:" not in result.output and "Nothing was imported" in result.output
    assert list(_overrides()) == [date(2027, 3, 3)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"day,type\n2027-01-01,holiday\n", "Line 1: the header must be"),
        (b"date,kind,name_zh,name_en\n", "no lines below its header"),
        (b"\xff\xfe\x00\xd8bad", "not text in UTF-8"),
    ],
)
def test_import_holidays_fails_on_a_file_it_cannot_use(runner, tmp_path, data, message):
    path = tmp_path / "holidays.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["import-holidays", "--lang", "en", str(path)])
    assert result.exit_code == 1 and message in result.output
    assert _overrides() == {}


def test_the_audit_log_names_holiday_changes_in_the_page_language(admin_client, runner, tmp_path):
    client, _admin = admin_client
    client.post("/admin/holidays", data={"day": "2027-02-06", "kind": "holiday", "name_zh": "春节"})
    path = tmp_path / "holidays.csv"
    path.write_text(EN_FILE, encoding="utf-8")
    assert runner.invoke(args=["import-holidays", str(path)]).exit_code == 0
    page = visible_text(client.get("/admin/audit").get_data(as_text=True))
    assert "节假日安排：新增日期" in page and "导入节假日安排" in page and "节假日日期" in page
    assert "holiday_added" not in page and "holidayoverride" not in page
