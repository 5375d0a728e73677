"""Booking pages: find, book, my bookings, check in by QR, organisers' schedule, approvals, suspensions; the CLI."""

from __future__ import annotations

import re
from datetime import timedelta

from bookings_factories import add_booking, iso, workday

from app.extensions import db
from app.models import AuditEntry, Booking, Room
from app.timezones import now_utc, parse_datetime


def statuses() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Booking.status).order_by(Booking.id)))


def test_find_page_grid_without_names_for_talents(homes, room, make_user, client, login):
    day = workday()
    add_booking(
        room, make_user(name="Hidden Person"), parse_datetime(iso(day, "10:00")), parse_datetime(iso(day, "11:00"))
    )
    response = client.get(f"/bookings/find?date={day}&start=10:00&end=11:00&home=liwan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Hidden Person" not in page and not re.findall(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert 'class="timeline"' in page and f"/rooms/{room.id}/book?date={day}" in page
    login(make_user())
    page = client.get(f"/bookings/find?date={day}").get_data(as_text=True)
    assert "Hidden Person" not in page
    assert client.get("/bookings/find?date=garbage&start=99:00&min_capacity=x").status_code == 200


def test_book_through_the_form(room, make_user, client, login):
    talent = make_user()
    login(talent)
    day = workday()
    form = client.get(f"/rooms/{room.id}/book?date={day}&start=14:00")
    assert form.status_code == 200 and '<option selected value="14:00">' in form.get_data(as_text=True)
    data = {
        "date": day.isoformat(),
        "start": "14:00",
        "end": "15:30",
        "title": "读书会",
        "purpose": "seminar",
        "attendees": "6",
        "weekly": "1",
    }
    response = client.post(f"/rooms/{room.id}/book", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/bookings/mine")
    assert statuses() == ["confirmed"]
    again = client.post(f"/rooms/{room.id}/book", data=data | {"attendees": "30"})
    assert again.status_code == 422 and "12" in again.get_data(as_text=True)
    clash = client.post(f"/rooms/{room.id}/book", data=data)
    assert clash.status_code == 409
    assert statuses() == ["confirmed"]
    mine = client.get("/bookings/mine").get_data(as_text=True)
    assert "读书会" in mine and "14:00" in mine


def test_series_clash_listed_on_the_form(room, make_user, client, login):
    login(make_user(role="organiser"))
    day = workday()
    clash_day = day + timedelta(weeks=1)
    add_booking(room, make_user(), parse_datetime(iso(clash_day, "10:00")), parse_datetime(iso(clash_day, "11:00")))
    data = {
        "date": day.isoformat(),
        "start": "10:00",
        "end": "11:00",
        "title": "Weekly",
        "purpose": "training",
        "attendees": "3",
        "weekly": "3",
    }
    response = client.post(f"/rooms/{room.id}/book", data=data)
    assert response.status_code == 409 and clash_day.isoformat() in response.get_data(as_text=True)
    response = client.post(f"/rooms/{room.id}/book", data=data | {"free_dates_only": "y"})
    assert response.status_code == 302
    assert statuses() == ["confirmed"] * 3


def test_unverified_talent_sees_the_reason(room, make_user, client, login):
    login(make_user(verified=False))
    day = workday()
    data = {
        "date": day.isoformat(),
        "start": "10:00",
        "end": "11:00",
        "title": "x",
        "purpose": "other",
        "attendees": "1",
    }
    response = client.post(f"/rooms/{room.id}/book", data=data)
    assert response.status_code == 403 and statuses() == []


def test_cancel_and_other_peoples_bookings(room, make_user, client, login):
    day = workday()
    owner, other = make_user(), make_user()
    booking = add_booking(room, owner, parse_datetime(iso(day, "10:00")), parse_datetime(iso(day, "11:00")))
    login(other)
    assert client.get(f"/bookings/{booking.id}").status_code == 404
    client.post(f"/bookings/{booking.id}/cancel")
    assert statuses() == ["confirmed"]
    client.post("/logout")
    login(owner)
    assert client.get(f"/bookings/{booking.id}").status_code == 200
    response = client.post(f"/bookings/{booking.id}/cancel")
    assert response.status_code == 302 and statuses() == ["cancelled"]


def test_check_in_from_the_room_qr_code(room, make_user, client, login):
    talent = make_user()
    soon = now_utc().replace(second=0, microsecond=0) + timedelta(minutes=5)
    booking = add_booking(room, talent, soon, soon + timedelta(hours=1), title="QR meeting")
    page = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert "<svg" not in page and f"/rooms/{room.id}/book" in page  # the code is not for the public
    login(talent)
    assert "<svg" in client.get(f"/rooms/{room.id}").get_data(as_text=True)
    qr = client.get(f"/rooms/{room.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    landing = client.get(f"/rooms/{room.id}/check-in").get_data(as_text=True)
    assert "QR meeting" in landing and f"/bookings/{booking.id}/check-in" in landing
    assert client.post(f"/bookings/{booking.id}/check-in").status_code == 302
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).checked_in_at is not None


def test_refused_booking_keeps_the_no_shows_it_settled(room, make_user, client, login):
    talent = make_user()
    start = now_utc() - timedelta(hours=2)
    add_booking(room, talent, start, start + timedelta(hours=1))
    login(talent)
    day = workday()
    data = {"date": day.isoformat(), "start": "14:00", "end": "15:00", "title": "Too many", "purpose": "seminar"}
    refused = client.post(f"/rooms/{room.id}/book", data=data | {"attendees": "30", "weekly": "1"})
    assert refused.status_code == 422
    assert statuses() == ["no_show"]


def test_reading_pages_never_marks_no_shows(room, make_user, client, login):
    talent = make_user()
    start = now_utc() - timedelta(hours=2)
    add_booking(room, talent, start, start + timedelta(hours=1))
    login(talent)
    assert client.get("/bookings/mine").status_code == 200
    assert client.get(f"/rooms/{room.id}").status_code == 200
    assert statuses() == ["confirmed"]


def test_room_page_shows_its_week(room, make_user, client):
    day = workday()
    add_booking(room, make_user(), parse_datetime(iso(day, "15:00")), parse_datetime(iso(day, "16:30")))
    page = client.get(f"/rooms/{room.id}?from={day}").get_data(as_text=True)
    assert "15:00–16:30" in page and f"/rooms/{room.id}/book?date={day}&amp;start=16:30&amp;end=17:30" in page


def test_organiser_schedule_and_approvals(homes, make_user, client, login):
    hall = db.session.scalar(db.select(Room).where(Room.requires_approval.is_(True), Room.home_id == homes["liwan"].id))
    day = workday()
    booking = add_booking(
        hall,
        make_user(name="Visible Booker"),
        parse_datetime(iso(day, "10:00")),
        parse_datetime(iso(day, "11:00")),
        status="pending",
    )
    login(make_user(role="organiser", district="nanhai"))
    assert client.get("/homes/liwan/schedule").status_code == 403
    assert "Visible Booker" not in client.get("/bookings/approvals").get_data(as_text=True)
    client.post(f"/bookings/{booking.id}/approve")
    assert statuses() == ["pending"]
    client.post("/logout")
    organiser = make_user(role="organiser", district="liwan")
    login(organiser)
    for view in ("day", "week"):
        page = client.get(f"/homes/liwan/schedule?date={day}&view={view}")
        assert page.status_code == 200 and "Visible Booker" in page.get_data(as_text=True)
    # The list gives each booking's local time and its room in the page's language.
    for locale, name in (("zh", hall.name), ("en", hall.name_en)):
        organiser.locale = locale
        db.session.commit()
        listed = client.get(f"/homes/liwan/schedule?date={day}").get_data(as_text=True).split("schedule-list")[1]
        assert f'<td class="nowrap">10:00–11:00</td>\n          <td>{name}</td>' in listed, locale
    assert "Visible Booker" in client.get("/bookings/approvals").get_data(as_text=True)
    client.post(f"/bookings/{booking.id}/approve")
    assert statuses() == ["confirmed"]


def test_talents_cannot_open_staff_pages(make_user, client, login, homes):
    login(make_user())
    assert client.get("/bookings/approvals").status_code == 403
    assert client.get("/bookings/suspensions").status_code == 403
    assert client.get("/homes/liwan/schedule").status_code == 403


def test_suspensions_page_lifts(make_user, client, login):
    talent = make_user(name="Often Absent", booking_suspended_until=now_utc() + timedelta(days=10))
    login(make_user(role="organiser"))
    assert "Often Absent" in client.get("/bookings/suspensions").get_data(as_text=True)
    assert client.post(f"/bookings/suspensions/{talent.id}/lift").status_code == 302
    db.session.expire_all()
    assert talent.booking_suspended_until is None
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.object_id == talent.id))


def test_process_no_shows_command(room, make_user, runner):
    start = now_utc() - timedelta(hours=1)
    add_booking(room, make_user(), start, start + timedelta(hours=2))
    add_booking(room, make_user(), start + timedelta(hours=3), start + timedelta(hours=4))
    result = runner.invoke(args=["process-no-shows"])
    assert result.exit_code == 0 and "1 bookings" in result.output
    assert statuses() == ["no_show", "confirmed"]
    assert "0 bookings" in runner.invoke(args=["process-no-shows"]).output
