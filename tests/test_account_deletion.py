"""DELETE /api/v1/me: places freed, personal fields erased, the token dead, aggregates kept."""

from datetime import timedelta

from bookings_factories import add_booking

from app.extensions import db
from app.models import ApiToken, AuditEntry, Booking, User
from app.timezones import now_utc


def _future_booking(user, room, days=3, status="confirmed"):
    start = (now_utc() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    booking = add_booking(
        room, user, start, start + timedelta(hours=1), status, title="读书会", purpose="seminar", attendees=2
    )
    past_start = start - timedelta(days=10)
    past = add_booking(room, user, past_start, past_start + timedelta(hours=1), title="旧", checked_in_at=past_start)
    return booking, past


def test_delete_me_frees_future_bookings_and_erases_identity(api, make_user, room):
    user = make_user(name="陈晓荔", phone="13800000000")
    booking, past = _future_booking(user, room)
    api.login(user)
    response = api.delete("/api/v1/me", json={"password": "Passw0rd123"})
    assert response.status_code == 204
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert erased.active is False and erased.deleted_at is not None
    assert erased.name != "陈晓荔" and erased.phone is None and erased.credential_number is None
    assert "example.com" not in erased.email
    assert db.session.get(Booking, booking.id).status == "cancelled"
    assert db.session.get(Booking, past.id).status == "confirmed"  # history stays for the statistics
    assert db.session.scalar(db.select(db.func.count(ApiToken.id)).where(ApiToken.user_id == user.id)) == 0
    assert api.get("/api/v1/me").status_code == 401
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "account_deleted")) is not None


def test_wrong_password_changes_nothing(api, make_user, room):
    user = make_user()
    booking, _ = _future_booking(user, room)
    api.login(user)
    response = api.delete("/api/v1/me", json={"password": "nope"})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "wrong_password"
    db.session.expire_all()
    assert db.session.get(User, user.id).active is True
    assert db.session.get(Booking, booking.id).status == "confirmed"
    assert api.get("/api/v1/me").status_code == 200


def test_deleted_account_cannot_log_in_again(api, make_user):
    user = make_user()
    email = user.email
    api.login(user).delete("/api/v1/me", json={"password": "Passw0rd123"})
    response = api.post("/api/v1/auth/token", json={"email": email, "password": "Passw0rd123"})
    assert response.status_code == 401


def test_delete_page_needs_confirmation(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post("/me/delete", data={"password": "Passw0rd123"})
    assert response.status_code == 422
    assert db.session.get(User, user.id).active is True
    response = client.post("/me/delete", data={"password": "Passw0rd123", "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False


def test_delete_me_frees_event_places_and_promotes_the_waiting_list(api, make_user):
    from events_factories import published

    from app.events import registrations as regs
    from app.models import Notification, Registration

    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, capacity=1)
    leaving, waiting = make_user(), make_user()
    taken = regs.register(leaving, event.id, {"consent": True})
    queued = regs.register(waiting, event.id, {"consent": True})
    db.session.commit()
    assert api.login(leaving).delete("/api/v1/me", json={"password": "Passw0rd123"}).status_code == 204
    db.session.expire_all()
    assert db.session.get(Registration, taken.id).status == "cancelled"
    assert db.session.get(Registration, queued.id).status == "confirmed"
    kinds = db.session.scalars(db.select(Notification.kind).where(Notification.user_id == waiting.id)).all()
    assert "registration_promoted" in kinds


def test_organisers_are_told_without_names(api, make_user, room):
    from app.models import Notification

    user = make_user(name="要删除的人")
    liwan, nanhai = make_user(role="organiser", district="liwan"), make_user(role="organiser", district="nanhai")
    _future_booking(user, room)
    api.login(user).delete("/api/v1/me", json={"password": "Passw0rd123"})
    told = db.session.scalars(db.select(Notification).where(Notification.kind == "account_deleted")).all()
    assert [n.user_id for n in told] == [liwan.id] and "要删除的人" not in told[0].body_text
    assert nanhai.id not in [n.user_id for n in told]
