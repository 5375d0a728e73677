"""Text that cannot be stored or shown is refused with a message naming the field; multi-line text
keeps its line breaks. Pages and the API ask the same check (app/text.py)."""

import re

import pytest
from events_factories import ahead, event_body, published, sign

from app.extensions import db
from app.models import Booking, CheckIn, Closure, Event, Participant, Room, User

ONE_LINE = "请填写单行文本，不要包含换行或控制字符。"
NO_CONTROLS = "请删除文本中的控制字符。"


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


def _counts() -> tuple:
    rows = (Event, Booking, User, Participant, CheckIn, Room, Closure)
    return tuple(db.session.scalar(db.select(db.func.count()).select_from(m)) for m in rows)


def _session(title: str) -> dict:
    return {"sessions": [{"start": ahead(7, 9), "end": ahead(7, 12), "title": title}]}


def _booking(room) -> dict:
    return {"room_id": room.id, "start": ahead(3, 10), "end": ahead(3, 11), "purpose": "seminar", "attendees": 2}


def _signup() -> dict:
    credential = {"issuer": "liwan_yingcai", "number": "LW7001"}
    return {
        "email": "li@example.com",
        "password": "Passw0rd123",
        "district": "liwan",
        "consent": True,
        "credential": credential,
    }


def _child(name: str) -> dict:
    child = {
        "name": name,
        "birth_date": "2016-05-01",
        "guardian_relation": "父亲",
        "emergency_contact": "李 13800000000",
    }
    return {"consent": True, "participant": child}


CASES = [
    ("post", "/api/v1/events", lambda w: event_body(title="荔南\n沙龙"), "title"),
    ("post", "/api/v1/events", lambda w: event_body(venue={"address": "白云山\r南门"}), "venue.address"),
    ("post", "/api/v1/events", lambda w: event_body(**_session("第一天\u2028上午")), "sessions.0.title"),
    (
        "post",
        "/api/v1/events",
        lambda w: event_body(itinerary=[{"time": "09:30", "place": "陈家\x85祠"}]),
        "itinerary.0.place",
    ),
    ("patch", "/api/v1/events/{event}", lambda w: {"title": "改名\t了"}, "title"),
    ("post", "/api/v1/bookings", lambda w: {**_booking(w["room"]), "title": "读书会\x1b[31m"}, "title"),
    ("post", "/api/v1/users", lambda w: {**_signup(), "name": "李雷\r\nBcc: x@example.com"}, "name"),
    ("post", "/api/v1/events/{camp}/registrations", lambda w: _child("小\n明"), "participant.name"),
    (
        "post",
        "/api/v1/events/{event}/check-ins",
        lambda w: {"walk_in": {"name": "王\x7f五", "district": "liwan"}},
        "name",
    ),
]


@pytest.mark.parametrize("method, path, body, field", CASES, ids=[f"{c[1]} {c[3]}" for c in CASES])
def test_api_refuses_control_characters_in_one_line_fields(
    api_as, make_user, organiser, room, method, path, body, field
):
    event = published(organiser, venue={"room_id": room.id}, capacity=10, start=ahead(0, 0), end=ahead(1, 23))
    camp = published(organiser, kind="youth_camp", subtype=None, min_age=6, max_age=14, title="研学营")
    caller = make_user() if path.endswith(("bookings", "users", "registrations")) else organiser
    before, title = _counts(), event.title
    response = getattr(api_as(caller), method)(path.format(event=event.id, camp=camp.id), json=body({"room": room}))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["fields"][field] == ONE_LINE
    db.session.expire_all()
    assert _counts() == before and db.session.get(Event, event.id).title == title


def test_multi_line_text_keeps_its_line_breaks_as_lf(api_as, organiser):
    staff = api_as(organiser)
    created = staff.post("/api/v1/events", json=event_body(description="第一段\r\n第二段\r第三段"))
    assert created.status_code == 201
    assert db.session.get(Event, created.get_json()["id"]).description == "第一段\n第二段\n第三段"
    refused = staff.post("/api/v1/events", json=event_body(description="第一段\x0b第二段"))
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"description": NO_CONTROLS}


def test_reasons_refuse_control_characters_and_change_nothing(api_as, organiser, make_user):
    event = published(organiser)
    sign(make_user(), event)
    staff = api_as(organiser)
    refused = staff.post(f"/api/v1/events/{event.id}/cancel", json={"reason": "天气\x07原因"})
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"reason": NO_CONTROLS}
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "published"
    cancelled = staff.post(f"/api/v1/events/{event.id}/cancel", json={"reason": "天气原因\r\n改期另行通知"})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"


def _event_form(**fields) -> dict:
    form = {"title": "羽毛球友谊赛", "kind": "exchange", "host": "liwan", "start": ahead(6, 14)[:16]}
    form.update(end=ahead(6, 17)[:16], room_id="0", address="体育馆", capacity="16")
    return form | fields


PAGE_CASES = [
    ("/events/new", lambda r: _event_form(title="羽毛球\n友谊赛"), ONE_LINE),
    ("/events/new", lambda r: _event_form(description="第一段\x0c第二段"), NO_CONTROLS),
    ("/homes/liwan/rooms/new", lambda r: {"name": "会议室\r\n二楼", "capacity": "8"}, ONE_LINE),
    (
        "/rooms/{room}/book",
        lambda r: {
            "date": ahead(3)[:10],
            "start": "10:00",
            "end": "11:00",
            "title": "读书会\x1b",
            "purpose": "seminar",
        },
        ONE_LINE,
    ),
    (
        "/homes/liwan/closures",
        lambda r: {"room_id": "0", "start": ahead(3, 9)[:16], "end": ahead(3, 12)[:16], "reason": "维修\n停用"},
        ONE_LINE,
    ),
    (
        "/homes/liwan/closures",
        lambda r: {"room_id": "0", "start": "0001-01-01T09:00", "end": ahead(3, 12)[:16], "reason": "维修"},
        "请选择 2000 至 2100 年之间的日期。",
    ),
]


PAGE_IDS = ["event-title", "event-description", "room-name", "booking-title", "closure-reason", "closure-year"]


@pytest.mark.parametrize("path, data, message", PAGE_CASES, ids=PAGE_IDS)
def test_forms_show_the_problem_beside_the_field_and_store_nothing(client, login, organiser, room, path, data, message):
    login(organiser)
    before = _counts()
    response = client.post(path.format(room=room.id), data=data(room))
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert re.search(r'<p class="error" id="\w+-error">[^<]*' + re.escape(message), page)
    assert _counts() == before


def test_the_sign_up_form_refuses_a_name_on_two_lines(client):
    form = {"name": "李\n雷", "email": "lei@example.com", "password": "Passw0rd123", "district": "liwan"}
    form.update(issuer="liwan_yingcai", number="LW7002", consent="y")
    page = client.post("/register", data=form).get_data(as_text=True)
    assert ONE_LINE in page and db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_registry_rows_and_cli_accounts_are_one_line(runner):
    from app.auth.registry import import_registry_csv
    from app.models import RegistryEntry

    report = import_registry_csv('issuer,number,holder_name,valid_until\nliwan_yingcai,LW8001,"陈\n晓荔",\n')
    assert report.added == 0 and report.errors and db.session.scalar(db.select(db.func.count(RegistryEntry.id))) == 0
    args = ["create-user", "--email", "a@example.com", "--password", "Passw0rd123", "--role", "admin"]
    result = runner.invoke(args=[*args, "--name", "管理\r\n员"])
    assert result.exit_code != 0 and db.session.scalar(db.select(db.func.count(User.id))) == 0
