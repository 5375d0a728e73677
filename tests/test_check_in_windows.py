"""One check-in window rule for events' sessions and room bookings: early and late check-ins are refused
on the pages and the API with the window in the message; staff can still undo an event's check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attendance_factories import make_event, register
from bookings_factories import add_booking

from app.attendance import services
from app.extensions import db
from app.models import Booking, CheckIn, EventSession, Registration
from app.models.check_in_window import check_in_window
from app.timezones import now_utc, to_local

WEEK = timedelta(days=7)


def minute(moment) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def check_ins() -> int:
    return db.session.scalar(db.select(db.func.count(CheckIn.id)))


def test_the_rule_opens_before_the_start_and_closes_after_the_end():
    start = now_utc()
    window = check_in_window(start, start + timedelta(hours=2), timedelta(minutes=60), timedelta(minutes=120))
    assert window == (start - timedelta(hours=1), start + timedelta(hours=4))
    assert window.contains(window.opens) and window.contains(window.closes)
    assert not window.contains(window.opens - timedelta(seconds=1))
    assert not window.contains(window.closes + timedelta(seconds=1))


def test_sessions_and_bookings_each_follow_their_own_settings(app, room, make_user, monkeypatch):
    event = make_event(hours=2)
    session = event.sessions[0]
    booking = add_booking(room, make_user(), session.starts_at, session.ends_at)
    assert session.check_in_window == (session.starts_at - timedelta(hours=1), session.ends_at + timedelta(hours=2))
    margin = timedelta(minutes=15)  # a booking's window is anchored on its start
    assert booking.check_in_window == (booking.starts_at - margin, booking.starts_at + margin)
    monkeypatch.setitem(app.config, "BOOKING_CHECK_IN_OPENS_MINUTES", 30)
    monkeypatch.setitem(app.config, "BOOKING_CHECK_IN_CLOSES_MINUTES", 5)
    start = booking.starts_at
    assert booking.check_in_window == (start - timedelta(minutes=30), start + timedelta(minutes=5))
    assert session.check_in_window.opens == session.starts_at - timedelta(hours=1)


# Python and SQL give the same answer at the window's edges ----------------------------------

# (minutes from the anchor to now, open?): a booking's window is anchored on its start at both ends.
BOOKING_EDGES = [(-16, False), (-15, True), (0, True), (15, True), (16, False)]


def _disagreements(model, things: dict, edges, now) -> list[tuple[int, str]]:
    """(minutes, which form) wherever a thing's window, asked in Python, through its bounds or in
    SQL, does not give the expected answer."""
    in_sql = set(db.session.scalars(db.select(model.id).where(model.check_in_open(now))))
    found = []
    for minutes, is_open in edges:
        thing = things[minutes]
        answers = {
            "python": thing.check_in_open(now),
            "bounds": thing.check_in_window.contains(now),
            "sql": thing.id in in_sql,
        }
        found += [(minutes, form) for form, answer in answers.items() if answer is not is_open]
    return found


def test_a_bookings_window_is_the_same_in_python_and_sql_at_its_edges(room, make_user):
    now = now_utc().replace(microsecond=0)
    user = make_user()
    # One-minute bookings starting `minutes` before now, so that none overlaps another.
    bookings = {
        minutes: add_booking(room, user, now - timedelta(minutes=minutes), now - timedelta(minutes=minutes - 1))
        for minutes, _open in BOOKING_EDGES
    }
    assert _disagreements(Booking, bookings, BOOKING_EDGES, now) == []
    closed_in_sql = set(db.session.scalars(db.select(Booking.id).where(Booking.check_in_closed_by(now))))
    for minutes, booking in bookings.items():
        assert booking.check_in_closed_by(now) is (minutes > 15), minutes
        assert (booking.id in closed_in_sql) is (minutes > 15), minutes


# (minutes from the start to now, open?) for a two-hour session: 60 before its start to 120 after its end.
SESSION_EDGES = [(-61, False), (-60, True), (0, True), (120 + 120, True), (120 + 121, False)]


def test_a_sessions_window_is_the_same_in_python_and_sql_at_its_edges():
    now = now_utc().replace(microsecond=0)
    sessions = {minutes: make_event(start=now - timedelta(minutes=minutes)).sessions[0] for minutes, _ in SESSION_EDGES}
    assert _disagreements(EventSession, sessions, SESSION_EDGES, now) == []


# Events: the desk page and the API ------------------------------------------------------------


def _event_at(offset: timedelta, talent):
    """An event of Liwan whose one two-hour session starts `offset` from now, with one sign-up."""
    event = make_event(host="liwan", start=now_utc().replace(microsecond=0) + offset)
    return event, register(event, talent)


@pytest.fixture
def desk(make_user, login):
    """(organiser of Liwan, their logged-in page client, a talent)."""
    organiser = make_user("organiser", district="liwan")
    return organiser, login(organiser), make_user()


@pytest.mark.parametrize("offset", [WEEK, -timedelta(hours=4, minutes=5)], ids=["a week early", "after closing"])
def test_the_desk_page_refuses_outside_the_window_and_shows_it(desk, offset):
    _organiser, client, talent = desk
    event, registration = _event_at(offset, talent)
    page = client.post(
        f"/events/{event.id}/check-in", data={"code": registration.check_in_code}, follow_redirects=True
    ).get_data(as_text=True)
    opens, closes = event.sessions[0].check_in_window.local_text()
    assert "flash-error" in page and opens in page and closes in page
    assert check_ins() == 0


def test_the_desk_page_checks_in_inside_the_window(desk):
    _organiser, client, talent = desk
    event, registration = _event_at(timedelta(minutes=50), talent)
    page = client.post(
        f"/events/{event.id}/check-in", data={"code": registration.check_in_code}, follow_redirects=True
    ).get_data(as_text=True)
    assert "flash-success" in page and check_ins() == 1


@pytest.mark.parametrize("offset", [WEEK, -timedelta(hours=4, minutes=5)], ids=["a week early", "after closing"])
def test_the_api_refuses_outside_the_window_with_it_in_the_message(desk, api_as, offset):
    organiser, _client, talent = desk
    event, registration = _event_at(offset, talent)
    response = api_as(organiser).post(f"/api/v1/events/{event.id}/check-ins", json={"code": registration.check_in_code})
    assert response.status_code == 422
    error = response.get_json()["error"]
    opens, closes = event.sessions[0].check_in_window.local_text()
    assert error["code"] == "outside_check_in_window" and opens in error["message"] and closes in error["message"]
    assert check_ins() == 0


def test_staff_undo_a_check_in_after_the_window_has_closed(desk, api_as):
    organiser, _client, talent = desk
    event, registration = _event_at(-timedelta(hours=5), talent)
    inside = event.sessions[0].starts_at
    check_in = services.check_in_registration(event, registration, organiser, now=inside)
    db.session.commit()
    assert not event.sessions[0].check_in_open(now_utc())
    response = api_as(organiser).delete(f"/api/v1/events/{event.id}/check-ins/{check_in.id}")
    assert response.status_code == 204 and check_ins() == 0
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).no_show is True  # the event is over


# Room bookings: the booking's page and the API -----------------------------------------------


def _booking(room, user, offset: timedelta) -> Booking:
    start = now_utc().replace(second=0, microsecond=0) + offset
    return add_booking(room, user, start, start + timedelta(hours=1))


@pytest.mark.parametrize("offset", [timedelta(hours=2), -timedelta(minutes=20)], ids=["early", "late"])
def test_the_booking_page_refuses_outside_the_window_and_shows_it(room, make_user, login, offset):
    talent = make_user()
    booking = _booking(room, talent, offset)
    client = login(talent)
    opens, closes = booking.check_in_window.local_text()
    shown = client.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert opens[-5:] in shown and closes[-5:] in shown  # the page shows the window
    page = client.post(f"/bookings/{booking.id}/check-in", follow_redirects=True).get_data(as_text=True)
    assert "flash-error" in page and opens in page and closes in page
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).checked_in_at is None


@pytest.mark.parametrize("offset", [timedelta(hours=2), -timedelta(minutes=20)], ids=["early", "late"])
def test_the_booking_api_refuses_outside_the_window_with_it_in_the_message(room, make_user, api_as, offset):
    talent = make_user()
    booking = _booking(room, talent, offset)
    response = api_as(talent).post(f"/api/v1/bookings/{booking.id}/check-in")
    assert response.status_code == 422
    error = response.get_json()["error"]
    opens, closes = booking.check_in_window.local_text()
    assert error["code"] == "outside_check_in_window" and opens in error["message"] and closes in error["message"]
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).checked_in_at is None


def test_a_booking_checks_in_inside_its_window(room, make_user, api_as):
    talent = make_user()
    booking = _booking(room, talent, timedelta(minutes=10))
    response = api_as(talent).post(f"/api/v1/bookings/{booking.id}/check-in")
    assert response.status_code == 200 and response.get_json()["checked_in_at"]
