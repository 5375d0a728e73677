"""Rows stored before text was checked (or by hand) may hold line breaks and control characters: the
event still takes sign-ups, changes and its cancellation, and feeds, mail and exports still render."""

import email
from email import policy

import ics as ics_lib
import pytest
import vobject
from events_factories import ahead, published, sign
from icalendar import Calendar

from app.extensions import db
from app.models import Booking, Notification
from app.notifications.mail import Outgoing, compose


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


@pytest.fixture
def broken(organiser, room):
    """A published event in a room, both renamed in the database to names on two lines."""
    event = published(organiser, venue={"room_id": room.id}, capacity=10, start=ahead(5, 10), end=ahead(5, 12))
    event.title, event.description = "第一行\n第二行", "说明\r\n第二段\x0b完"
    room.name = "多功能厅\r\nBcc: someone@example.com"
    for hold in db.session.scalars(db.select(Booking).where(Booking.event_session_id.is_not(None))):
        hold.title = event.title  # a reservation carries its event's title
    db.session.commit()
    return event


def _composed(message: Notification):
    fields = ("id", "recipient", "locale", "subject", "body_text", "body_html", "ics", "attempts", "created_at")
    return compose(Outgoing(**{name: getattr(message, name) for name in fields}))


def test_an_event_with_a_line_break_in_its_title_can_still_be_run_and_cancelled(
    api_as, make_user, organiser, broken, room
):
    staff, talent = api_as(organiser), api_as(make_user())
    assert talent.post(f"/api/v1/events/{broken.id}/registrations", json={"consent": True}).status_code == 201
    booking = {"room_id": room.id, "start": ahead(3, 10), "end": ahead(3, 11), "title": "读书会", "purpose": "seminar"}
    assert talent.post("/api/v1/bookings", json=booking).status_code == 201
    moved = staff.patch(f"/api/v1/events/{broken.id}", json={"start": ahead(6, 10), "end": ahead(6, 12)})
    assert moved.status_code == 200
    cancelled = staff.post(f"/api/v1/events/{broken.id}/cancel", json={"reason": "场地维修"})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    messages = db.session.scalars(db.select(Notification)).all()
    assert len(messages) == 4
    subjects = []
    for message in messages:
        sent = email.message_from_bytes(_composed(message).as_bytes(), policy=policy.default)
        assert sent["Bcc"] is None and "\n" not in sent["Subject"]
        subjects.append(sent["Subject"])
    assert sum("第一行 第二行" in subject for subject in subjects) == 3
    assert sum("多功能厅 Bcc: someone@example.com" in subject for subject in subjects) == 1


def test_its_calendar_files_render_folded_and_escaped(client, make_user, broken, room):
    talent = make_user()
    sign(talent, broken)
    for path in (f"/events/{broken.id}.ics", "/calendar.ics", f"/calendar/{talent.calendar_token}.ics"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        [entry] = Calendar.from_ical(text).walk("VEVENT")
        assert str(entry["summary"]) == "第一行 第二行" and str(entry["description"]) == "说明\n第二段 完"
        assert str(entry["location"]).startswith("多功能厅 Bcc: someone@example.com · ")
        assert [v.summary.value for v in vobject.readOne(text).vevent_list] == ["第一行 第二行"]
        assert [e.name for e in ics_lib.Calendar(text).events] == ["第一行 第二行"]
    feed = client.get(f"/rooms/{room.id}/calendar.ics")
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.data)
    assert str(calendar["x-wr-calname"]).startswith("多功能厅 Bcc: someone@example.com ·")
    assert [str(c["summary"]) for c in calendar.walk("VEVENT")] == ["第一行 第二行"]


def test_the_attendance_spreadsheet_takes_names_with_control_characters(client, login, organiser, broken):
    from app.attendance.services import add_walk_in

    walk_in = add_walk_in(broken, organiser, "王五", "liwan", now=broken.starts_at)
    walk_in.walk_in_name = "王\x0b五"
    db.session.commit()
    login(organiser)
    response = client.get(f"/events/{broken.id}/attendance.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
