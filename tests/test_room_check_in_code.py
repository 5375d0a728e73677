"""A room's check-in code (its QR) is shown to the booker and the home's staff, never on a public page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bookings_factories import add_booking

from app.timezones import now_utc


def _sees_code(client, room) -> tuple[bool, int]:
    """(the room page shows the code, the status of the code's own file)."""
    page = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert client.get(f"/rooms/{room.id}").status_code == 200
    return "<svg" in page and "room-qr" in page, client.get(f"/rooms/{room.id}/qr.svg").status_code


@pytest.fixture
def booked(room, make_user):
    """A Liwan talent with a booking of the room later today."""
    talent = make_user(district="liwan")
    start = now_utc().replace(second=0, microsecond=0) + timedelta(hours=3)
    add_booking(room, talent, start, start + timedelta(hours=1))
    return talent


def test_the_public_does_not_see_the_code(client, room, booked):
    shown, qr_status = _sees_code(client, room)
    assert not shown and qr_status in (302, 401)


@pytest.mark.parametrize(
    ("role", "district"), [("talent", "liwan"), ("talent", "nanhai"), ("organiser", "nanhai")], ids=str
)
def test_others_do_not_see_the_code(client, login, make_user, room, booked, role, district):
    login(make_user(role, district=district))
    assert _sees_code(client, room) == (False, 404)


def test_a_past_or_cancelled_booking_does_not_show_the_code(client, login, make_user, room):
    talent = make_user()
    past = now_utc().replace(second=0, microsecond=0) - timedelta(days=1)
    add_booking(room, talent, past, past + timedelta(hours=1))
    add_booking(room, talent, past + timedelta(days=2), past + timedelta(days=2, hours=1), status="cancelled")
    login(talent)
    assert _sees_code(client, room) == (False, 404)


def test_the_booker_sees_the_code(client, login, room, booked):
    login(booked)
    assert _sees_code(client, room) == (True, 200)


@pytest.mark.parametrize(("role", "district"), [("organiser", "liwan"), ("admin", None)], ids=str)
def test_the_homes_staff_see_the_code_to_print_it(client, login, make_user, room, role, district):
    login(make_user(role, district=district))
    shown, qr_status = _sees_code(client, room)
    assert shown and qr_status == 200
    qr = client.get(f"/rooms/{room.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and "private" in qr.headers["Cache-Control"]
