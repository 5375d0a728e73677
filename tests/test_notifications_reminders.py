"""Reminders 24 hours ahead: what gets one, once only, in the recipient's language."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Booking, Event, EventSession, Notification, Registration
from app.notifications.reminders import queue_due_reminders
from app.timezones import now_utc, to_local

NOW = now_utc().replace(microsecond=0)


def booking(user, room, starts_in: timedelta, status="confirmed", title="Seminar", **fields) -> Booking:
    start = NOW + starts_in
    row = Booking(
        room_id=room.id,
        user_id=user.id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        title=title,
        status=status,
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


def event_with_sessions(room, starts_in: list[timedelta], status="published", title="Tech exchange") -> Event:
    sessions = [
        EventSession(title=f"Day {n + 1}", starts_at=NOW + delta, ends_at=NOW + delta + timedelta(hours=3))
        for n, delta in enumerate(starts_in)
    ]
    event = Event(
        kind="exchange",
        title=title,
        host="liwan",
        status=status,
        starts_at=sessions[0].starts_at,
        ends_at=sessions[-1].ends_at,
        room_id=room.id,
        capacity=20,
        sessions=sessions,
    )
    db.session.add(event)
    db.session.commit()
    return event


def register(event, user, status="confirmed", code=None) -> Registration:
    row = Registration(
        event_id=event.id, user_id=user.id, status=status, check_in_code=code or f"C{user.id:05d}{event.id:04d}"
    )
    db.session.add(row)
    db.session.commit()
    return row


def reminders() -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Notification).where(Notification.kind == "reminder")))


@pytest.mark.parametrize(
    "starts_in, status, expected",
    [
        (timedelta(hours=23, minutes=59), "confirmed", 1),
        (timedelta(hours=24), "confirmed", 1),
        (timedelta(minutes=5), "confirmed", 1),
        (timedelta(hours=24, minutes=1), "confirmed", 0),
        (timedelta(minutes=-5), "confirmed", 0),
        (timedelta(hours=3), "pending", 0),
        (timedelta(hours=3), "cancelled", 0),
        (timedelta(hours=3), "rejected", 0),
    ],
)
def test_booking_reminder_window_and_status(make_user, room, starts_in, status, expected):
    booking(make_user(), room, starts_in, status=status)
    assert queue_due_reminders(now=NOW) == expected
    assert len(reminders()) == expected


def test_booking_reminder_is_queued_once_across_runs(make_user, room):
    row = booking(make_user(), room, timedelta(hours=20))
    assert queue_due_reminders(now=NOW) == 1
    db.session.commit()
    assert queue_due_reminders(now=NOW + timedelta(hours=1)) == 0
    assert queue_due_reminders(now=NOW + timedelta(hours=19)) == 0
    db.session.commit()
    [reminder] = reminders()
    assert reminder.dedupe_key == f"reminder:booking:{row.id}" and reminder.status == "queued"


def test_event_room_reservations_get_no_booking_reminder(make_user, room):
    event = event_with_sessions(room, [timedelta(hours=2)])
    booking(make_user(role="organiser"), room, timedelta(hours=2), event_session_id=event.sessions[0].id)
    assert queue_due_reminders(now=NOW) == 0


def test_each_session_reminds_confirmed_registrations_only(make_user, room):
    event = event_with_sessions(room, [timedelta(hours=10), timedelta(hours=34)])
    confirmed, waiting, cancelled = make_user(), make_user(), make_user()
    registration = register(event, confirmed)
    register(event, waiting, status="waitlisted")
    register(event, cancelled, status="cancelled")

    assert queue_due_reminders(now=NOW) == 1
    db.session.commit()
    assert queue_due_reminders(now=NOW + timedelta(hours=11)) == 1  # day 2 is now within 24 hours
    db.session.commit()
    assert queue_due_reminders(now=NOW + timedelta(hours=12)) == 0

    keys = sorted(r.dedupe_key for r in reminders())
    first, second = event.sessions
    assert keys == sorted(
        [
            f"reminder:session:{first.id}:registration:{registration.id}",
            f"reminder:session:{second.id}:registration:{registration.id}",
        ]
    )
    assert {r.user_id for r in reminders()} == {confirmed.id}


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_unpublished_or_cancelled_events_send_no_reminder(make_user, room, status):
    event = event_with_sessions(room, [timedelta(hours=5)], status=status)
    register(event, make_user())
    assert queue_due_reminders(now=NOW) == 0


def test_reminder_in_english_for_an_english_speaker(make_user, room):
    user = make_user(name="Alex", locale="en")
    booking(user, room, timedelta(hours=5), title="Robotics club")
    queue_due_reminders(now=NOW)
    [reminder] = reminders()
    assert reminder.locale == "en"
    assert reminder.subject.startswith("Reminder: Robotics club")
    assert reminder.body_text.startswith("Hello Alex,")
    assert "This is a reminder of your room booking" in reminder.body_text
    assert room.home.name_en in reminder.body_text
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert any(f"({day})" in reminder.body_text for day in weekday)


def test_a_booking_reminder_says_where_the_room_is_and_how_to_get_in(make_user, room):
    user = make_user(name="陈晓荔", locale=None)
    row = booking(user, room, timedelta(hours=5), title="读书会")
    queue_due_reminders(now=NOW)
    [reminder] = reminders()
    body = reminder.body_text
    opens, closes = (to_local(moment) for moment in row.check_in_window)
    assert "荔湾区" in body or "南海区" in body  # the district
    assert "地图：https://" in body
    assert f"{opens:%H:%M}" in body and f"{closes:%H:%M}" in body  # the check-in window


def test_reminder_in_chinese_by_default(make_user, room):
    user = make_user(name="陈晓荔", locale=None)
    event = event_with_sessions(room, [timedelta(hours=5)])
    registration = register(event, user)
    queue_due_reminders(now=NOW)
    [reminder] = reminders()
    assert reminder.locale == "zh"
    assert reminder.body_text.startswith("陈晓荔，您好：")
    assert "（" in reminder.body_text or "(周" in reminder.body_text
    assert room.home.name in reminder.body_text and registration.check_in_code in reminder.body_text


def test_reminders_attach_the_calendar_entry(make_user, room):
    from icalendar import Calendar

    row = booking(make_user(), room, timedelta(hours=5))
    event = event_with_sessions(room, [timedelta(hours=8)])
    register(event, make_user())
    queue_due_reminders(now=NOW)
    uids = sorted(str(c.get("uid")) for r in reminders() for c in Calendar.from_ical(r.ics).walk("VEVENT"))
    assert uids == sorted(
        [f"booking-{row.id}@talent-home", f"event-{event.id}-session-{event.sessions[0].id}@talent-home"]
    )


def test_deleted_accounts_get_no_reminder(make_user, room):
    user = make_user()
    booking(user, room, timedelta(hours=5))
    user.active = False
    db.session.commit()
    assert queue_due_reminders(now=NOW) == 0 and reminders() == []


@pytest.mark.concurrency
def test_concurrent_runs_queue_each_reminder_once(app, make_user, room):
    users = [make_user() for _ in range(5)]
    for n, user in enumerate(users):
        booking(user, room, timedelta(hours=2 + 3 * n))
    event = event_with_sessions(room, [timedelta(hours=20)])
    for user in users:
        register(event, user)
    db.session.commit()
    start = threading.Barrier(3)
    counts, errors = [], []

    def run():
        with app.app_context():
            try:
                start.wait()
                counts.append(queue_due_reminders(now=NOW))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 — reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sum(counts) == 10
    keys = [r.dedupe_key for r in reminders()]
    assert len(keys) == 10 and len(set(keys)) == 10
