"""PIPL: a talent's export holds their data and their children's, and no one else's."""

from datetime import date, timedelta

from bookings_factories import add_booking

from app.extensions import db
from app.models import Event, EventSession, Participant, Registration
from app.timezones import now_utc


def _camp_registration(user, child_name="小明"):
    start = now_utc() + timedelta(days=10)
    event = Event(
        kind="youth_camp",
        title="科技研学营",
        host="joint",
        status="published",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        capacity=10,
        min_age=8,
        max_age=14,
    )
    event.sessions = [EventSession(starts_at=start, ends_at=start + timedelta(hours=6))]
    registration = Registration(
        event=event,
        user_id=user.id,
        for_children=True,
        status="confirmed",
        places=1,
        district=user.district,
        check_in_code=f"CODE{user.id:04d}",
    )
    registration.participants = [
        Participant(
            name=child_name, birth_date=date(2015, 3, 1), guardian_relation="父亲", emergency_contact="13800000000"
        )
    ]
    db.session.add(registration)
    db.session.commit()
    return registration


def test_export_has_account_bookings_and_children(api, make_user, room):
    user, other = make_user(), make_user()
    start = now_utc() + timedelta(days=2)
    add_booking(room, user, start, start + timedelta(hours=1), title="读书会", purpose="seminar", attendees=3)
    _camp_registration(user)
    _camp_registration(other, child_name="别人的孩子")
    data = api.login(user).get("/api/v1/me/export").get_json()
    assert data["account"]["email"] == user.email
    assert data["credential"]["status"] == "verified"
    assert [b["title"] for b in data["bookings"]] == ["读书会"]
    children = [c for r in data["registrations"] for c in r["children"]]
    assert children == [
        {
            "name": "小明",
            "birth_date": "2015-03-01",
            "guardian_relation": "父亲",
            "emergency_contact": "13800000000",
            "emergency_contact_name": None,
            "emergency_contact_phone": None,
            "health_notes": None,
        }
    ]
    assert "别人的孩子" not in str(data)


def test_export_needs_a_token(api):
    assert api.get("/api/v1/me/export").status_code == 401


def test_my_data_page_and_download(client, login, make_user):
    user = make_user(name="陈晓荔")
    login(user)
    assert "陈晓荔" in client.get("/me/data").get_data(as_text=True)
    download = client.get("/me/data.json")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert download.get_json()["account"]["name"] == "陈晓荔"


def test_personal_data_is_never_cached(client, login, api, make_user):
    user = make_user()
    login(user)
    for path in ("/me/data", "/me/data.json"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path
    api.login(user)
    assert api.get("/api/v1/me/export").headers["Cache-Control"] == "private, no-store"
