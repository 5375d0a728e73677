"""Pages: the check-in desk, tickets, the record page, roster exports and my record."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import segno
from attendance_factories import make_event, register
from bookings_factories import add_booking
from openpyxl import load_workbook

from app.extensions import db
from app.models import AuditEntry, CheckIn, Event
from app.timezones import now_utc, to_local


def _check_ins(event) -> list[CheckIn]:
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.event_id == event.id).order_by(CheckIn.id)))


@pytest.fixture
def organiser(make_user):
    return make_user("organiser", district="liwan", name="Organiser Liwan")


def test_desk_shows_the_roster_and_checks_in_a_typed_code(organiser, make_user, login):
    # The second of two daily sessions starts in half an hour: its check-in is open.
    event = make_event(sessions=2, start=now_utc() - timedelta(days=1, minutes=-30))
    register(event, make_user(name="张三"), code="DESK2345")
    register(event, make_user(name="李四"))
    client = login(organiser)
    page = client.get(f"/events/{event.id}/check-in")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "张三" in html and "李四" in html and "checkin.js" in html

    second = event.sessions[1].id
    response = client.post(
        f"/events/{event.id}/check-in", data={"code": "desk 2345", "session_id": second}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "张三" in response.get_data(as_text=True)
    assert [(c.session_id, c.registration.user.name) for c in _check_ins(event)] == [(second, "张三")]

    again = client.post(f"/events/{event.id}/check-in", data={"code": "DESK2345", "session_id": second})
    assert again.status_code == 302 and f"session={second}" in again.headers["Location"]
    assert len(_check_ins(event)) == 1
    unknown = client.post(f"/events/{event.id}/check-in", data={"code": "NONE2345"}, follow_redirects=True)
    assert "flash-error" in unknown.get_data(as_text=True)


def test_desk_search_tick_boxes_walk_ins_and_undo(organiser, make_user, login):
    event = make_event()
    a = register(event, make_user(name="王小明"))
    b = register(event, make_user(name="赵小红"))
    c = register(event, make_user(name="钱多多"))
    client = login(organiser)
    found = client.get(f"/events/{event.id}/check-in?q=小明").get_data(as_text=True)
    assert "王小明" in found and "赵小红" not in found

    client.post(f"/events/{event.id}/check-in/tick", data={"registration_id": [a.id, b.id]})
    assert sorted(ci.registration_id for ci in _check_ins(event)) == [a.id, b.id]
    client.post(f"/events/{event.id}/check-in/walk-in", data={"name": "孙悟空", "district": "nanhai", "places": "1"})
    walk_in = _check_ins(event)[-1]
    assert (walk_in.walk_in_name, walk_in.walk_in_district) == ("孙悟空", "nanhai")

    undone = client.post(f"/events/{event.id}/check-ins/{_check_ins(event)[0].id}/undo", follow_redirects=True)
    assert undone.status_code == 200
    assert sorted(ci.registration_id or 0 for ci in _check_ins(event)) == [0, b.id]
    assert c.id not in [ci.registration_id for ci in _check_ins(event)]
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert (
        actions.count("attendance.check_in") == 2 and "attendance.walk_in" in actions and "attendance.undo" in actions
    )


@pytest.mark.parametrize(
    ("role", "district", "status"),
    [("talent", "liwan", 403), ("organiser", "nanhai", 403)],
)
def test_others_cannot_use_the_desk_or_export(make_user, login, role, district, status):
    event = make_event(host="liwan")
    registration = register(event, make_user(name="被保护的人"))
    client = login(make_user(role, district=district))
    for path in ("check-in", "attendance.csv", "attendance.xlsx"):
        response = client.get(f"/events/{event.id}/{path}")
        assert response.status_code == status
        assert "被保护的人" not in response.get_data(as_text=True)
    client.post(f"/events/{event.id}/check-in", data={"code": registration.check_in_code})
    client.post(f"/events/{event.id}/check-in/tick", data={"registration_id": registration.id})
    assert _check_ins(event) == []
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "attendance.export")) is None


def test_draft_desk_is_404_for_the_other_district(make_user, login):
    event = make_event(host="liwan", status="draft")
    assert login(make_user("organiser", district="nanhai")).get(f"/events/{event.id}/check-in").status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    event = make_event()
    response = client.get(f"/events/{event.id}/check-in")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _roster_event(make_user, organiser):
    """Two sessions; an adult checked in at both, a family of two children at the second, a walk-in."""
    event = make_event(sessions=2)
    adult = register(event, make_user(name="=HYPERLINK(1)", district="nanhai"), places=1)
    family = register(event, make_user(name="家长甲", district="liwan"), children=["孩子一", "孩子二"])
    register(event, make_user(name="候补者"), status="waitlisted")
    first, second = event.sessions
    db.session.add_all(
        [
            CheckIn(event_id=event.id, session_id=first.id, registration_id=adult.id, places=1),
            CheckIn(event_id=event.id, session_id=second.id, registration_id=adult.id, places=1),
            CheckIn(event_id=event.id, session_id=second.id, registration_id=family.id, places=2),
            CheckIn(event_id=event.id, session_id=first.id, walk_in_name="路人", walk_in_district="liwan", places=1),
        ]
    )
    db.session.commit()
    return event, adult, family


def test_csv_export_reads_back(organiser, make_user, login):
    event, adult, family = _roster_event(make_user, organiser)
    response = login(organiser).get(f"/events/{event.id}/attendance.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event.id}-attendance.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(header) == 8
    first, second = (to_local(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in event.sessions)
    assert [r[0] for r in body] == [str(adult.id), str(family.id), str(family.id), body[3][0], ""]
    assert body[0][1] == "'=HYPERLINK(1)"  # never run as a formula
    assert body[0][6] == f"{first}; {second}"
    assert [(r[1], r[2], r[4], r[6]) for r in body[1:3]] == [
        ("孩子一", "家长甲", "1", second),
        ("孩子二", "家长甲", "1", second),
    ]
    assert body[3][1] == "候补者" and body[3][6] == ""
    assert (body[4][1], body[4][4], body[4][6]) == ("路人", "1", first)
    assert all(r[7] == "" for r in body)  # not over yet: nobody is a no-show
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "attendance.export"))
    assert entry.object_id == event.id and entry.actor_id == organiser.id and '"csv"' in entry.detail


def test_xlsx_export_reads_back(organiser, make_user, login):
    event, adult, family = _roster_event(make_user, organiser)
    response = login(organiser).get(f"/events/{event.id}/attendance.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 8  # the title, the header, five people, the totals
    assert rows[0][0].startswith(event.title)
    assert [r[0] for r in rows[2:5]] == [adult.id, family.id, family.id]
    assert rows[2][1] == "'=HYPERLINK(1)" and sheet["B3"].data_type == "s"
    assert [r[1] for r in rows[3:5]] == ["孩子一", "孩子二"] and rows[3][2] == "家长甲"
    assert rows[6][1] == "路人" and rows[6][0] in (None, "")
    assert (
        db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "attendance.export")) == 1
    )


def test_export_after_the_event_marks_absentees(organiser, make_user, login):
    event = make_event(start=now_utc() - timedelta(days=3))
    came = register(event, make_user(name="来了"))
    register(event, make_user(name="没来"))
    db.session.add(CheckIn(event_id=event.id, session_id=event.sessions[0].id, registration_id=came.id, places=1))
    db.session.commit()
    data = login(organiser).get(f"/events/{event.id}/attendance.csv").data.decode("utf-8-sig")
    body = {row[1]: row[7] for row in list(csv.reader(io.StringIO(data)))[1:]}
    assert body["来了"] == "" and body["没来"] != ""


def test_ticket_for_owner_and_organisers_only(organiser, make_user, login, client):
    owner = make_user(name="票主")
    event = make_event()
    registration = register(event, owner, code="TKT23456")
    page = login(owner).get(f"/registrations/{registration.id}/ticket")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "TKT2" in html and "3456" in html
    qr = segno.make("TKT23456", error="m", micro=False)
    assert qr.svg_inline(border=2, dark="#000", light="#fff", omitsize=True) in html
    client.post("/logout")
    assert login(organiser).get(f"/registrations/{registration.id}/ticket").status_code == 200
    client.post("/logout")
    assert login(make_user()).get(f"/registrations/{registration.id}/ticket").status_code == 404
    assert client.get("/registrations/999999/ticket").status_code == 404


def test_record_page(organiser, make_user, login, client):
    event = make_event(start=now_utc() - timedelta(days=3))
    register(event, make_user(name="秘密名字"))
    assert client.get(f"/events/{event.id}/attendance").status_code == 404
    login(organiser)
    assert "秘密名字" not in client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert client.post(f"/events/{event.id}/attendance/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).attendance_published_at is not None
    client.post("/logout")
    public = client.get(f"/events/{event.id}/attendance")
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    assert "attendance-record" in html and "秘密名字" not in html


def test_my_record_lists_events_attended_and_bookings_used(make_user, login, room):
    talent = make_user()
    event = make_event(title="参加过的活动")
    skipped = make_event(title="没去的活动")
    mine = register(event, talent)
    register(skipped, talent)
    db.session.add(CheckIn(event_id=event.id, session_id=event.sessions[0].id, registration_id=mine.id, places=1))
    for days, title, checked in ((1, "用过的预约", True), (2, "没用的预约", False)):
        start = now_utc() - timedelta(days=days)
        add_booking(
            room, talent, start, start + timedelta(hours=1), title=title, checked_in_at=start if checked else None
        )
    db.session.commit()
    client = login(talent)
    html = client.get("/me/record").get_data(as_text=True)
    assert "参加过的活动" in html and "用过的预约" in html
    assert "没去的活动" not in html and "没用的预约" not in html
    response = client.get("/me/record.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["参加过的活动", "用过的预约"]


def test_ticking_someone_checked_in_meanwhile_keeps_the_others(organiser, make_user, login):
    event = make_event()
    a, b = register(event, make_user()), register(event, make_user())
    db.session.add(CheckIn(event_id=event.id, session_id=event.sessions[0].id, registration_id=a.id, places=1))
    db.session.commit()
    response = login(organiser).post(
        f"/events/{event.id}/check-in/tick", data={"registration_id": [a.id, b.id]}, follow_redirects=True
    )
    assert response.status_code == 200 and "flash-success" in response.get_data(as_text=True)
    assert sorted(ci.registration_id for ci in _check_ins(event)) == [a.id, b.id]


def test_event_page_helper_gives_the_record_once_published(make_user):
    from app.attendance.records import published_record

    event = make_event(start=now_utc() - timedelta(days=2))
    register(event, make_user())
    assert published_record(event) is None
    event.attendance_published_at = now_utc()
    db.session.commit()
    assert published_record(event)["registered"] == 1


def test_exports_answer_bearer_tokens(organiser, make_user, api_as, client):
    """API clients fetch the exports with their token; without one the answer is 401, never a login form."""
    event, _adult, _family = _roster_event(make_user, organiser)
    own = api_as(organiser)
    for suffix in ("csv", "xlsx"):
        path = f"/events/{event.id}/attendance.{suffix}"
        response = own.client.get(path, headers=own.headers)
        assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(f'.{suffix}"')
        talent = api_as(make_user())
        assert talent.client.get(path, headers=talent.headers).status_code == 403
        assert client.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
        assert client.get(path).status_code == 401
    assert (
        own.client.get(f"/events/{event.id}/check-in", headers=own.headers).status_code == 302
    )  # pages: sessions only
