"""Every booking message names the place (home, district, address with its map link, the day's
hours, the check-in window), a confirmation carries the booking's calendar file, and each message
knows its booking, so the message centre links to the booking's page."""

from __future__ import annotations

import pytest
from bookings_factories import NOW, add_booking, at, req

from app.bookings.place import map_url
from app.bookings.services import actions
from app.bookings.services import booking as services
from app.extensions import db
from app.models import Notification, Room


def _message(user, kind: str) -> Notification:
    return db.session.scalar(db.select(Notification).where(Notification.user_id == user.id, Notification.kind == kind))


def _names_the_place(body: str, room: Room) -> None:
    home = room.home
    assert home.name in body and "广州市荔湾区" in body  # the home and its district
    assert f"地址：{home.address}" in body and map_url(home.address) in body
    assert "当天开放时间：09:00–21:00" in body
    assert "请在 09:45 至 10:15 之间签到。" in body


def test_a_confirmation_names_the_place_and_carries_the_calendar_file(room, make_user):
    talent = make_user()
    booked = services.book_room(talent, req(room, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW).bookings[0]
    db.session.commit()
    message = _message(talent, "booking_confirmed")
    _names_the_place(message.body_text, room)
    assert message.ics and "BEGIN:VEVENT" in message.ics and message.ics.count("BEGIN:VEVENT") == 1
    assert message.booking_id == booked.id


@pytest.mark.parametrize(("decision", "kind"), [(True, "booking_approved"), (False, "booking_rejected")])
def test_a_decision_names_the_place_and_links_the_booking(homes, make_user, decision, kind):
    hall = db.session.scalar(
        db.select(Room).where(Room.home_id == homes["liwan"].id, Room.requires_approval.is_(True)).order_by(Room.id)
    )
    talent, organiser = make_user(), make_user(role="organiser", district="liwan")
    booking = add_booking(hall, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"), status="pending")
    actions.decide_booking(organiser, booking.id, decision, "理由")
    db.session.commit()
    message = _message(talent, kind)
    _names_the_place(message.body_text, hall)
    assert "理由：理由" in message.body_text and message.booking_id == booking.id
    # Approved, the booking is confirmed: its calendar file comes with the message.
    assert bool(message.ics) is decision


def test_a_cancellation_by_the_organisers_names_the_place(room, make_user):
    talent, organiser = make_user(), make_user(role="organiser", district="liwan")
    booking = add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    actions.cancel_booking(organiser, booking.id, "设备检修", now=NOW)
    db.session.commit()
    message = _message(talent, "booking_cancelled")
    _names_the_place(message.body_text, room)
    assert message.booking_id == booking.id


def test_the_message_centre_links_a_booking_message_to_the_booking(room, make_user, client, login):
    talent = make_user()
    booked = services.book_room(talent, req(room, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW).bookings[0]
    db.session.commit()
    message = _message(talent, "booking_confirmed")
    login(talent)
    page = client.get(f"/me/notifications/{message.id}").get_data(as_text=True)
    assert f'href="/bookings/{booked.id}"' in page and "查看预约" in page
