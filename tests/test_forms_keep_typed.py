"""Every form of the product, refused, is shown again: status, each typed value present (no
password), the field marked aria-invalid and described by its message, and the summary linking to it."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from attendance_factories import make_event
from bookings_factories import add_booking, iso, workday
from events_factories import published

from app.events import questions
from app.extensions import db
from app.timezones import parse_datetime


@dataclass
class Case:
    path: str
    data: dict
    status: int
    kept: list[str]  # fragments of the page that show what was typed
    invalid: str  # the id of the field marked
    link: str = ""  # the summary's link (defaults to the field)
    absent: list[str] = field(default_factory=list)  # what must not come back (passwords)
    files: dict = field(default_factory=dict)


@dataclass
class Env:
    make_user: object
    login: object
    room: object


def login_case(env):
    user = env.make_user(email="wang@example.com")
    return Case(
        "/login",
        {"email": user.email, "password": "Wrong-guess-1"},
        422,
        ['value="wang@example.com"'],
        "password",
        absent=["Wrong-guess-1"],
    )


def register_case(env):
    data = {
        "name": "王小明",
        "email": "xiaoming@example.com",
        "phone": "13800138000",
        "password": "Secret-pass-9",
        "district": "nanhai",
        "issuer": "nanhai_kunpeng",
        "number": "坏#号",
        "consent": "y",
    }
    kept = [
        'value="王小明"',
        'value="xiaoming@example.com"',
        'value="13800138000"',
        'selected value="nanhai"',
        'selected value="nanhai_kunpeng"',
        'value="坏#号"',
        'checked id="consent"',
    ]
    return Case("/register", data, 422, kept, "number", absent=["Secret-pass-9"])


def forgot_case(env):
    return Case("/password/forgot", {"email": "not-an-address"}, 422, ['value="not-an-address"'], "email")


def reset_case(env):
    from app.account.reset import make_reset_token

    token = make_reset_token(env.make_user())
    db.session.commit()
    return Case(f"/password/reset/{token}", {"password": "short"}, 422, [], "password", absent=['value="short"'])


def change_password_case(env):
    env.login(env.make_user())
    data = {"current_password": "Not-mine-12", "new_password": "Another-pass-34", "confirm": "Another-pass-34"}
    return Case("/me/password", data, 422, [], "current_password", absent=["Not-mine-12", "Another-pass-34"])


def consent_case(env):
    env.login(env.make_user(consent_version="1999-01"))
    return Case("/consent", {}, 422, [], "consent")


def delete_case(env):
    env.login(env.make_user())
    return Case("/me/delete", {"password": "Passw0rd123"}, 422, [], "confirm", absent=['value="Passw0rd123"'])


def booking_clash_case(env):
    day = workday()
    start = parse_datetime(iso(day, "10:00"))
    add_booking(env.room, env.make_user(), start, start + timedelta(hours=1))
    env.login(env.make_user())
    data = {"date": day.isoformat(), "start": "10:00", "end": "11:00", "title": "读书会", "purpose": "seminar"}
    data |= {"attendees": "6", "weekly": "1"}
    kept = [
        f'value="{day.isoformat()}"',
        'selected value="10:00"',
        'selected value="11:00"',
        'value="读书会"',
        'selected value="seminar"',
        'value="6"',
        'class="alternatives"',  # Plan B stays
    ]
    return Case(f"/rooms/{env.room.id}/book", data, 409, kept, "start")


def room_form_case(env):
    env.login(env.make_user(role="organiser", district="liwan"))
    data = {"name": "", "name_en": "Studio", "capacity": "12", "equipment": ["screen"], "description": "安静的房间"}
    kept = ['value="Studio"', 'value="12"', 'checked id="equipment-', ">\r\n安静的房间</textarea>"]
    return Case("/homes/liwan/rooms/new", data, 422, kept, "name")


def hours_case(env):
    env.login(env.make_user(role="organiser", district="liwan"))
    data = {f"{d}_open": "09:00" for d in ("tue", "wed", "thu", "fri")} | {"mon_open": "25:00", "mon_close": "21:00"}
    data |= {f"{d}_close": "21:00" for d in ("tue", "wed", "thu", "fri")}
    return Case("/homes/liwan/hours", data, 422, ['value="25:00"', 'value="21:00"'], "mon_open")


def closure_case(env):
    env.login(env.make_user(role="organiser", district="liwan"))
    day = workday(5).isoformat()
    data = {"room_id": str(env.room.id), "start": f"{day}T18:00", "end": f"{day}T09:00", "reason": "检修空调"}
    kept = [f'selected value="{env.room.id}"', f'value="{day}T18:00"', f'value="{day}T09:00"', 'value="检修空调"']
    return Case("/homes/liwan/closures", data, 422, kept, "end")


def event_form_case(env):
    env.login(env.make_user(role="organiser", district="liwan"))
    day = workday(9).isoformat()
    data = {"title": "岭南论坛", "kind": "exchange", "host": "liwan", "start": f"{day}T09:00", "end": f"{day}T10:00"}
    data |= {"sessions": "tomorrow morning", "room_id": "0", "address": "白云山南门", "capacity": "5"}
    kept = ['value="岭南论坛"', 'value="白云山南门"', 'value="5"', ">\r\ntomorrow morning</textarea>"]
    return Case("/events/new", data, 422, kept, "sessions")


def question_case(env):
    organiser = env.make_user(role="organiser", district="liwan")
    event = published(organiser)
    env.login(organiser)
    data = {"label_zh": "饮食偏好", "label_en": "Diet", "kind": "choice", "required": "y", "options": ""}
    return Case(f"/events/{event.id}/questions", data, 422, ['value="饮食偏好"', 'value="Diet"'], "options")


def registry_case(env):
    env.login(env.make_user(role="admin", district=None))
    files = {"file": (io.BytesIO(b"%PDF-1.4"), "list.pdf")}
    return Case("/admin/registry", {}, 422, [], "file", files=files)


def admin_users_case(env):
    env.login(env.make_user(role="admin", district=None))
    talent = env.make_user(name="李雷")
    data = {"role": "organiser", "district": ""}
    kept = [f'id="role-{talent.id}"', 'value="organiser" selected']
    return Case(f"/admin/users/{talent.id}/role", data, 422, kept, f"district-{talent.id}")


def approvals_reject_case(env):
    from app.models import Room

    room = db.session.scalar(db.select(Room).where(Room.requires_approval.is_(True)))
    start = parse_datetime(iso(workday(), "14:00"))
    booking = add_booking(room, env.make_user(), start, start + timedelta(hours=1), status="pending")
    env.login(env.make_user(role="organiser", district=room.home.district))
    data = {"reason": "时间冲突\u0007"}
    return Case(f"/bookings/{booking.id}/reject", data, 422, ['value="时间冲突'], f"reason-{booking.id}")


def credential_reject_case(env):
    talent = env.make_user(verified=False, name="韩梅梅")
    env.login(env.make_user(role="organiser", district="liwan"))
    data = {"reason": "号码不符\u0007"}
    return Case(f"/credentials/{talent.id}/reject", data, 422, ['value="号码不符', "韩梅梅："], f"reason-{talent.id}")


def walk_in_case(env):
    event = make_event(host="liwan")
    env.login(env.make_user(role="organiser", district="liwan"))
    data = {"name": "孙悟空", "district": "nanhai", "places": "999", "session_id": str(event.sessions[0].id)}
    return Case(
        f"/events/{event.id}/check-in/walk-in", data, 422, ['value="孙悟空"', 'selected value="nanhai"'], "places"
    )


def sign_up_case(env):
    organiser = env.make_user(role="organiser", district="liwan")
    event = published(organiser)
    questions.replace_questions(organiser, event, [{"label": "单位名称", "kind": "text", "required": True}])
    db.session.commit()
    (question,) = questions.questions_of(event)
    talent = env.make_user()
    env.login(talent)
    data = {f"q_{question.id}": "岭南V谷", "consent": ""}
    return Case(f"/events/{event.id}/register", data, 422, ['value="岭南V谷"'], "consent")


CASES = [
    login_case,
    register_case,
    forgot_case,
    reset_case,
    change_password_case,
    consent_case,
    delete_case,
    booking_clash_case,
    room_form_case,
    hours_case,
    closure_case,
    event_form_case,
    question_case,
    registry_case,
    admin_users_case,
    approvals_reject_case,
    credential_reject_case,
    walk_in_case,
    sign_up_case,
]


def tag_of(html: str, element_id: str) -> str:
    found = re.search(rf'<(input|select|textarea)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert found, f"no field {element_id}"
    return found.group(0)


def check_refused(html: str, case: Case) -> None:
    for fragment in case.kept:
        assert fragment in html, fragment
    for fragment in case.absent:
        assert fragment not in html, fragment
    tag = tag_of(html, case.invalid)
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    assert f"{case.invalid}-error" in described and f'id="{case.invalid}-error"' in html
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'tabindex="-1"' in html and "data-error-summary" in html
    assert f'href="#{case.link or case.invalid}"' in summary


@pytest.fixture
def env(make_user, login, room, homes):
    return Env(make_user, login, room)


@pytest.mark.parametrize("make_case", CASES, ids=lambda f: f.__name__.removesuffix("_case"))
def test_a_refused_form_keeps_what_was_typed(client, env, make_case):
    case = make_case(env)
    response = client.post(
        case.path, data={**case.data, **case.files}, content_type=None if not case.files else "multipart/form-data"
    )
    assert response.status_code == case.status, response.get_data(as_text=True)[-3000:]
    check_refused(response.get_data(as_text=True), case)


STALE = [login_case, register_case, booking_clash_case, room_form_case, event_form_case, walk_in_case]


@pytest.mark.parametrize("make_case", STALE, ids=lambda f: f.__name__.removesuffix("_case"))
def test_an_expired_page_is_shown_again_with_what_was_typed(app, client, env, make_case):
    case = make_case(env)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(case.path, data={**case.data, "csrf_token": "stale"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "页面已过期，本次未提交。您填写的内容已保留，请再次提交。" in html and 'class="error-summary"' in html
    for fragment in case.kept:
        if fragment != 'class="alternatives"':  # nothing was checked, so no alternatives either
            assert fragment in html, fragment
    for fragment in case.absent:
        assert fragment not in html


def test_a_rule_refusal_names_its_subject(client, env):
    """The clash names the room and the time; the hours name the day."""
    case = booking_clash_case(env)
    html = client.post(case.path, data=case.data).get_data(as_text=True)
    assert f"{env.room.name}，{case.data['date']} 10:00–11:00：该功能室在此时段已被预约。" in html
    case = hours_case(env)
    html = client.post(case.path, data=case.data).get_data(as_text=True)
    assert re.search(r'id="mon_open-error">星期一：', html)
