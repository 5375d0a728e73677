"""A weekly series as one thing: its id on every date, listing and cancelling it (API and pages), one
confirmation listing every date with the calendar file, and a series length the quota can keep."""

from __future__ import annotations

from datetime import timedelta

from bookings_factories import add_booking, iso, workday

from app.extensions import db
from app.models import Booking, Notification
from app.timezones import now_utc, parse_datetime


def body(room, day, weeks, start="10:00", end="11:00") -> dict:
    return {
        "room_id": room.id,
        "start": iso(day, start),
        "end": iso(day, end),
        "title": "Weekly circle",
        "purpose": "seminar",
        "attendees": 4,
        "repeat": {"weekly": weeks},
    }


def statuses(series_id: str) -> list[str]:
    db.session.expire_all()
    query = db.select(Booking.status).where(Booking.series_id == series_id).order_by(Booking.starts_at)
    return list(db.session.scalars(query))


def test_list_and_cancel_a_series_through_the_api(room, make_user, api_as):
    organiser = api_as(make_user(role="organiser", district="liwan"))
    day = workday()
    created = organiser.post("/api/v1/bookings", json=body(room, day, 4))
    assert created.status_code == 201, created.get_json()
    items = created.get_json()["items"]
    series_id = items[0]["series_id"]
    assert series_id and {i["series_id"] for i in items} == {series_id} and len(items) == 4
    listed = organiser.get(f"/api/v1/bookings?series={series_id}").get_json()["items"]
    assert [b["start"] for b in listed] == [iso(day + timedelta(weeks=n), "10:00") for n in range(4)]
    one = {k: v for k, v in body(room, day, 1, "12:00", "13:00").items() if k != "repeat"}
    single = organiser.post("/api/v1/bookings", json=one)
    assert single.status_code == 201 and single.get_json()["series_id"] is None

    for stranger in (make_user(), make_user(role="organiser", district="nanhai")):
        client = api_as(stranger)
        assert client.get(f"/api/v1/bookings?series={series_id}").status_code == 404
        assert client.post(f"/api/v1/booking-series/{series_id}/cancel").status_code == 404
    assert statuses(series_id) == ["confirmed"] * 4
    assert organiser.post("/api/v1/booking-series/no-such-series/cancel").status_code == 404

    cancelled = organiser.post(f"/api/v1/booking-series/{series_id}/cancel")
    assert cancelled.status_code == 200, cancelled.get_json()
    assert [b["status"] for b in cancelled.get_json()["items"]] == ["cancelled"] * 4
    assert statuses(series_id) == ["cancelled"] * 4
    again = organiser.post(f"/api/v1/booking-series/{series_id}/cancel")
    assert again.status_code == 200 and again.get_json()["items"] == []


def test_dates_that_have_started_stay(room, make_user, api_as):
    talent = make_user()
    now = now_utc()
    started = add_booking(room, talent, now - timedelta(minutes=30), now + timedelta(minutes=30), series_id="s-1")
    later = add_booking(room, talent, now + timedelta(days=7), now + timedelta(days=7, hours=1), series_id="s-1")
    answer = api_as(talent).post("/api/v1/booking-series/s-1/cancel")
    assert answer.status_code == 200
    assert [b["id"] for b in answer.get_json()["items"]] == [later.id]
    assert statuses("s-1") == ["confirmed", "cancelled"] and started.id


def test_one_confirmation_lists_every_date_with_the_calendar_file(room, make_user, api_as):
    talent = make_user()
    day = workday()
    assert api_as(talent).post("/api/v1/bookings", json=body(room, day, 3)).status_code == 201
    (notice,) = db.session.scalars(db.select(Notification).where(Notification.user_id == talent.id))
    assert notice.kind == "booking_confirmed"
    for week in range(3):
        assert (day + timedelta(weeks=week)).isoformat() in notice.body_text
    assert room.home.address in notice.body_text and "https://uri.amap.com/search?keyword=" in notice.body_text
    assert notice.ics.count("BEGIN:VEVENT") == 3 and room.home.address in notice.ics.replace("\r\n ", "")


def test_a_talent_cannot_be_promised_more_dates_than_the_quota(room, make_user, client, login):
    talent = make_user()
    login(talent)
    start = parse_datetime(iso(workday(), "10:00"))
    add_booking(room, talent, start, start + timedelta(hours=1))
    page = client.get(f"/rooms/{room.id}/book").get_data(as_text=True)
    weekly = page[page.index('name="weekly"') : page.index("</select>", page.index('name="weekly"'))]
    assert weekly.count("<option") == 2  # the quota of 3 upcoming bookings, one held
    assert "2" in page[page.index('id="weekly-hint"') :][:200]


def test_organisers_may_book_longer_series(room, make_user, client, login):
    login(make_user(role="organiser", district="liwan"))
    page = client.get(f"/rooms/{room.id}/book").get_data(as_text=True)
    weekly = page[page.index('name="weekly"') : page.index("</select>", page.index('name="weekly"'))]
    assert weekly.count("<option") == 12


def test_the_series_page_cancels_one_date_or_all_remaining(room, make_user, client, login):
    talent = make_user()
    login(talent)
    day = workday()
    data = {
        "date": day.isoformat(),
        "start": "10:00",
        "end": "11:00",
        "title": "Weekly circle",
        "purpose": "seminar",
        "attendees": "4",
        "weekly": "3",
    }
    booked = client.post(f"/rooms/{room.id}/book", data=data)
    assert booked.status_code == 302 and "/bookings/series/" in booked.headers["Location"]
    series_id = booked.headers["Location"].rsplit("/", 1)[1]
    here = f"/bookings/series/{series_id}"
    page = client.get(f"/bookings/series/{series_id}").get_data(as_text=True)
    for week in range(3):
        assert (day + timedelta(weeks=week)).isoformat() in page
    assert room.home.address in page and f'action="{here}/cancel"' in page
    first = db.session.scalar(db.select(Booking).where(Booking.series_id == series_id).order_by(Booking.starts_at))
    response = client.post(f"/bookings/{first.id}/cancel", data={"next": here})
    assert response.status_code == 302 and response.headers["Location"].endswith(here)
    assert statuses(series_id) == ["cancelled", "confirmed", "confirmed"]
    assert client.post(f"{here}/cancel").status_code == 302
    assert statuses(series_id) == ["cancelled"] * 3
    after = client.get(here).get_data(as_text=True)
    assert "本系列已没有可取消的日期。" in after and f"{here}/cancel" not in after
    login(make_user())
    assert client.get(here).status_code == 404
