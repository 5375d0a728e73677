"""One event's figures read from every place that shows them: the desk, the record page, the API,
the statistics and the XLSX give the same numbers; and the XLSX is an office's workbook."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from attendance_factories import figures_on, make_event, register
from openpyxl import load_workbook

from app.attendance.sheets import Table
from app.extensions import db
from app.models import Answer, CheckIn, Question, Registration
from app.timezones import now_utc, to_local


@pytest.fixture
def organiser(make_user):
    return make_user("organiser", district="liwan")


@pytest.fixture
def held(organiser, make_user):
    """Ended three days ago: 2 + 1 + 3 (a family) registered places, 3 came; 4 walk-in places, one of no
    district; a cancelled sign-up that had checked in counts nowhere."""
    event = make_event(start=now_utc().replace(second=0, microsecond=0) - timedelta(days=3))
    session = event.sessions[0]
    came = register(event, make_user(district="liwan"), places=2)
    register(event, make_user(district="nanhai"))
    family = register(event, make_user(district="nanhai"), children=["小明", "小红", "小刚"])
    gone = register(event, make_user(district="liwan"), status="cancelled")
    db.session.add(CheckIn(event_id=event.id, session_id=session.id, registration_id=came.id, places=2))
    db.session.add(CheckIn(event_id=event.id, session_id=session.id, registration_id=family.id, places=3))
    db.session.add(CheckIn(event_id=event.id, session_id=session.id, registration_id=gone.id))
    for name, district, places in (("路人甲", "liwan", 1), ("路人乙", "nanhai", 2), ("路人丙", "other", 1)):
        db.session.add(
            CheckIn(
                event_id=event.id, session_id=session.id, walk_in_name=name, walk_in_district=district, places=places
            )
        )
    db.session.commit()
    return event


EXPECTED = {"registered": 6, "attended": 5, "no_show": 1, "walk_ins": 4, "present": 9}


def test_every_page_api_and_file_agree(held, organiser, login, api_as):
    client = login(organiser)
    desk = figures_on(client.get(f"/events/{held.id}/check-in").get_data(as_text=True))
    assert desk == {k: v for k, v in EXPECTED.items() if k != "no_show"}  # the desk shows one session
    record_html = client.get(f"/events/{held.id}/attendance").get_data(as_text=True)
    assert figures_on(record_html) == EXPECTED
    assert "83.3%" in record_html and "路人丙" not in record_html

    api = api_as(organiser).get(f"/api/v1/events/{held.id}/attendance").get_json()
    assert {k: api[k] for k in EXPECTED} == EXPECTED and api["attendance_rate"] == 0.833
    assert api["by_district"]["other"] == {"registered": 0, "attended": 0, "walk_ins": 1, "no_show": 0}

    day = to_local(held.starts_at).date().isoformat()
    stats_html = client.get(f"/statistics?start={day}&end={day}").get_data(as_text=True)
    assert figures_on(stats_html) == EXPECTED

    workbook = load_workbook(io.BytesIO(client.get(f"/events/{held.id}/attendance.xlsx").data))
    totals = [c.value for c in workbook["按区"][workbook["按区"].max_row]]
    assert totals[:6] == ["合计", 6, 5, 1, 4, 9]
    roster = workbook["名单"]
    assert [c.value for c in roster[roster.max_row]][7:11] == [6, 5, 1, 4]


def test_the_xlsx_is_typed_titled_and_totalled(held, organiser, login):
    data = login(organiser).get(f"/events/{held.id}/attendance.xlsx").data
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["名单", "各场次签到", "按区", "按场次"]
    for sheet in workbook:
        assert (
            sheet["A1"].value.startswith(held.title)
            and to_local(held.starts_at).strftime("%Y-%m-%d") in sheet["A1"].value
        )
        assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
        assert sheet.column_dimensions["B"].width >= 8
    roster = workbook["名单"]
    header = [c.value for c in roster[2]]
    assert header[:6] == ["报名编号", "姓名", "监护人", "所属区", "状态", "参加场次"]
    statuses = {row[1]: (row[3], row[4]) for row in roster.iter_rows(min_row=3, values_only=True)}
    assert statuses["路人丙"] == ("其他", "现场报名") and statuses["小明"][1] == "已确认"
    first = roster.cell(row=3, column=7)
    assert (
        isinstance(first.value, datetime) and first.value.tzinfo is None and first.number_format == "yyyy-mm-dd hh:mm"
    )
    assert isinstance(roster.cell(row=3, column=8).value, int)
    check_ins = workbook["各场次签到"]
    starts = check_ins.cell(row=3, column=2).value
    assert starts == to_local(held.starts_at).replace(tzinfo=None)  # Asia/Shanghai wall time, naive
    assert [c.value for c in check_ins[check_ins.max_row]][0::5] == ["合计", 9]  # 2 + 3 + 4 walk-in places
    by_district = {row[0]: row[1:] for row in workbook["按区"].iter_rows(min_row=3, values_only=True)}
    assert by_district["荔湾"][:5] == (2, 2, 0, 1, 3) and by_district["其他"][:5] == (0, 0, 0, 1, 1)
    assert by_district["南海"][5] == 0.75 and workbook["按区"]["G3"].number_format == "0.0%"


def test_the_roster_totals_row_spans_the_header_with_answer_columns(held, organiser, login):
    for position, label in enumerate(("单位名称", "饮食")):
        db.session.add(Question(event_id=held.id, position=position, kind="text", label_zh=label, label_en=label))
    db.session.flush()
    first = db.session.scalar(db.select(Question).where(Question.event_id == held.id, Question.position == 0))
    some = db.session.scalar(db.select(Registration).where(Registration.event_id == held.id).limit(1))
    db.session.add(Answer(registration_id=some.id, question_id=first.id, value="岭南V谷"))
    db.session.commit()
    sheet = load_workbook(io.BytesIO(login(organiser).get(f"/events/{held.id}/attendance.xlsx").data))["名单"]
    header = [c.value for c in sheet[2]]
    assert header[-2:] == ["单位名称", "饮食"] and sheet.max_column == len(header)
    totals = list(sheet.iter_rows(min_row=sheet.max_row, max_row=sheet.max_row))[0]
    assert len(totals) == len(header) and all(cell.font.bold for cell in totals)
    by_heading = dict(zip(header, (cell.value for cell in totals), strict=True))
    assert [by_heading[h] for h in ("已报名", "报名到场", "爽约", "现场报名")] == [6, 5, 1, 4]
    assert by_heading["单位名称"] is None and by_heading["饮食"] is None and totals[0].value == "合计"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(row=2, column=len(header)).column_letter}{sheet.max_row - 1}"


def test_a_tables_totals_row_is_as_wide_as_its_header():
    table = Table("Roster", "t", ["a", "b", "c", "d"], [[1, 2, 3, 4]], ["Total", 1])
    assert table.totals == ["Total", 1, None, None]
    with pytest.raises(ValueError):
        Table("Roster", "t", ["a"], [], ["Total", 1])


def test_the_csv_keeps_its_bom_and_speaks_chinese(held, organiser, login):
    data = login(organiser).get(f"/events/{held.id}/attendance.csv").data
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "所属区" in text.splitlines()[0] and "其他" in text and "现场报名" in text
    for code in ("confirmed", "walk_in", "liwan", "nanhai", "other"):
        assert code not in text
