"""Check-in rules: codes, sessions, walk-ins, undo, no-shows and the attendance record."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from attendance_factories import ended, make_event, register

from app.attendance import records, services
from app.errors.domain import Conflict, NotFound, RuleViolation, ValidationFailed
from app.events.codes import normalise_code
from app.extensions import db
from app.models import AuditEntry, CheckIn, Event, Registration
from app.timezones import now_utc, to_local


def _audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def _check_ins(event) -> list[CheckIn]:
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.event_id == event.id)))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("ab2c-3d4e", "AB2C3D4E"), (" AB2C 3D4E ", "AB2C3D4E"), ("ab2c3d4e", "AB2C3D4E"), ("", ""), (None, "")],
)
def test_codes_are_normalised(typed, stored):
    assert normalise_code(typed) == stored


def test_check_in_by_code_checks_in_all_places_once(make_user):
    organiser, talent = make_user("organiser"), make_user()
    event = make_event()
    registration = register(event, talent, places=2, code="AB2C3D4E")
    check_in = services.check_in_by_code(event, "ab2c-3d4e", organiser)
    db.session.commit()
    assert (check_in.registration_id, check_in.places, check_in.session_id) == (
        registration.id,
        2,
        event.sessions[0].id,
    )
    assert check_in.checked_in_by_id == organiser.id
    assert len(_audits("attendance.check_in")) == 1

    with pytest.raises(Conflict) as error:
        services.check_in_by_code(event, "AB2C3D4E", organiser)
    assert error.value.code == "already_checked_in"
    db.session.rollback()
    assert len(_check_ins(event)) == 1


def test_a_code_typed_with_a_unicode_hyphen_is_found(make_user):
    organiser, talent = make_user("organiser"), make_user()
    event = make_event()
    registration = register(event, talent, code="AB2C3D4E")
    assert services.check_in_by_code(event, "ab2c\u20103d4e", organiser).registration_id == registration.id


def test_unknown_code_and_a_code_of_another_event(make_user):
    organiser, talent = make_user("organiser"), make_user()
    event, other = make_event(), make_event()
    register(other, talent, code="ZZZZ2222")
    for code in ("NOPE9999", "zzzz-2222"):
        with pytest.raises(NotFound) as error:
            services.check_in_by_code(event, code, organiser)
        assert error.value.code == "unknown_code"
    with pytest.raises(ValidationFailed):
        services.check_in_by_code(event, "  ", organiser)
    assert _check_ins(event) == []


@pytest.mark.parametrize("status", ["waitlisted", "cancelled"])
def test_only_confirmed_places_check_in(make_user, status):
    organiser, talent = make_user("organiser"), make_user()
    event = make_event()
    registration = register(event, talent, status=status)
    with pytest.raises(RuleViolation) as error:
        services.check_in_by_code(event, registration.check_in_code, organiser)
    assert error.value.code == "not_confirmed"
    assert _check_ins(event) == []


@pytest.mark.parametrize("status", ["cancelled", "draft"])
def test_no_check_in_at_events_not_open(make_user, status):
    organiser, talent = make_user("organiser"), make_user()
    event = make_event(status=status)
    registration = register(event, talent)
    with pytest.raises(RuleViolation) as error:
        services.check_in_registration(event, registration, organiser)
    assert error.value.code == "event_not_open"


@pytest.mark.parametrize(
    ("offset_hours", "expected"),
    [(-1, 0), (1, 0), (3, 1), (25, 1), (26, 2), (60, 0)],
)
def test_default_session_is_the_running_or_next_one(offset_hours, expected):
    event = make_event(sessions=3, hours=2)
    now = event.starts_at + timedelta(hours=offset_hours)
    assert services.default_session(event, now).id == event.sessions[expected].id


def test_each_session_checks_in_separately(make_user):
    organiser, talent = make_user("organiser"), make_user()
    event, other = make_event(sessions=2), make_event()
    registration = register(event, talent)
    for session in event.sessions:
        services.check_in_registration(event, registration, organiser, session.id, now=session.starts_at)
    db.session.commit()
    assert sorted(c.session_id for c in _check_ins(event)) == sorted(s.id for s in event.sessions)
    with pytest.raises(ValidationFailed) as error:
        services.check_in_registration(event, registration, organiser, other.sessions[0].id)
    assert "session_id" in error.value.fields


@pytest.mark.parametrize(
    ("name", "district", "places", "field"),
    [
        ("", "liwan", 1, "name"),
        ("张三", "beijing", 1, "district"),
        ("张三", "liwan", 0, "places"),
        ("x" * 101, "nanhai", 1, "name"),
    ],
)
def test_walk_in_needs_a_name_a_district_and_places(make_user, name, district, places, field):
    organiser = make_user("organiser")
    event = make_event()
    with pytest.raises(ValidationFailed) as error:
        services.add_walk_in(event, organiser, name, district, places)
    assert field in error.value.fields
    assert _check_ins(event) == []


def test_walk_in_is_a_check_in_without_registration(make_user):
    organiser = make_user("organiser")
    event = make_event()
    check_in = services.add_walk_in(event, organiser, " 李四 ", "nanhai", 2)
    db.session.commit()
    assert (check_in.registration_id, check_in.walk_in_name, check_in.walk_in_district, check_in.places) == (
        None,
        "李四",
        "nanhai",
        2,
    )
    assert len(_audits("attendance.walk_in")) == 1


def test_undo_deletes_and_after_the_event_makes_a_no_show(make_user):
    organiser, talent = make_user("organiser"), make_user()
    event = make_event()
    registration = register(event, talent)
    check_in = services.check_in_registration(event, registration, organiser)
    db.session.commit()
    services.undo_check_in(event, check_in.id, organiser, now=ended(event))
    db.session.commit()
    assert _check_ins(event) == []
    assert db.session.get(Registration, registration.id).no_show is True
    undo = _audits("attendance.undo")
    assert len(undo) == 1 and undo[0].object_id == check_in.id
    with pytest.raises(NotFound):
        services.undo_check_in(event, check_in.id, organiser)


def test_close_ended_events_marks_absentees_only(make_user):
    organiser = make_user("organiser")
    here, away, waiting, cancelled = (make_user() for _ in range(4))
    past = make_event(start=now_utc() - timedelta(days=30))
    future = make_event()
    came = register(past, here)
    absent = register(past, away)
    waitlisted = register(past, waiting, status="waitlisted")
    gone = register(past, cancelled, status="cancelled")
    not_yet = register(future, away)
    services.check_in_registration(past, came, organiser, now=past.starts_at)
    db.session.commit()
    assert records.close_ended_events() == (1, 1)
    db.session.commit()
    flags = {r.id: r.no_show for r in db.session.scalars(db.select(Registration))}
    assert flags == {came.id: False, absent.id: True, waitlisted.id: False, gone.id: False, not_yet.id: False}
    assert records.close_ended_events() == (0, 0)
    assert len(_audits("attendance.close")) == 1


def test_close_attendance_command(runner, make_user):
    event = make_event(start=now_utc() - timedelta(days=30))
    registration = register(event, make_user())
    result = runner.invoke(args=["close-attendance"])
    assert result.exit_code == 0, result.output
    assert "1 no-shows" in result.output
    db.session.rollback()  # the command committed its work itself
    assert db.session.get(Registration, registration.id).no_show is True


def _seed_record(make_user):
    """Hand-counted: 6 registered places, 5 attended, 1 no-show, 3 walk-in places."""
    organiser = make_user("organiser")
    event = make_event(sessions=2)
    a = register(event, make_user(district="liwan"), places=2)
    register(event, make_user(district="liwan"))  # never comes
    c = register(event, make_user(district="nanhai"), children=["小明", "小红", "小刚"])
    register(event, make_user(district="nanhai"), status="waitlisted")
    register(event, make_user(district="liwan"), places=4, status="cancelled")
    first, second = event.sessions
    services.check_in_registration(event, a, organiser, first.id, now=first.starts_at)
    services.check_in_registration(event, a, organiser, second.id, now=second.starts_at)
    services.check_in_registration(event, c, organiser, second.id, now=second.starts_at)
    services.add_walk_in(event, organiser, "王五", "liwan", 1, first.id, now=first.starts_at)
    services.add_walk_in(event, organiser, "王五 ", "liwan", 1, second.id, now=second.starts_at)  # the same person
    services.add_walk_in(event, organiser, "赵六", "nanhai", 2, second.id, now=second.starts_at)
    db.session.commit()
    return organiser, event


def test_attendance_record_figures(make_user):
    _organiser, event = _seed_record(make_user)
    before = records.attendance_record(event, now=event.starts_at)
    assert (before["registered"], before["attended"], before["present"], before["no_show"]) == (6, 5, 8, 0)
    record = records.attendance_record(event, now=ended(event))
    assert record["registered"] == 6
    assert record["attended"] == record["attended_registered"] == 5
    assert record["walk_ins"] == 3
    assert record["present"] == 8
    assert record["no_show"] == 1
    assert record["attendance_rate"] == 0.833
    assert record["by_district"]["liwan"] == {"registered": 3, "attended": 2, "no_show": 1, "walk_ins": 1}
    assert record["by_district"]["nanhai"] == {"registered": 3, "attended": 3, "no_show": 0, "walk_ins": 2}
    assert record["by_district"]["other"] == {"registered": 0, "attended": 0, "no_show": 0, "walk_ins": 0}
    sessions = [(s["registered"], s["attended"], s["walk_ins"], s["present"]) for s in record["by_session"]]
    assert sessions == [(6, 2, 1, 3), (6, 5, 3, 8)]
    assert record["per_session"] == record["by_session"]
    assert record["published"] is False


def test_publish_waits_for_the_end_then_marks_no_shows(make_user):
    organiser, event = _seed_record(make_user)
    with pytest.raises(RuleViolation) as error:
        records.publish_attendance(event, organiser, now=event.starts_at)
    assert error.value.code == "not_ended"
    db.session.rollback()
    assert records.published_record(event) is None
    record = records.publish_attendance(event, organiser, now=ended(event))
    db.session.commit()
    assert record["published"] is True
    assert db.session.get(Event, event.id).attendance_published_at is not None
    no_shows = db.session.scalars(db.select(Registration).where(Registration.no_show.is_(True))).all()
    assert [r.places for r in no_shows] == [1]
    assert records.published_record(event)["present"] == 8
    assert len(_audits("attendance.publish")) == 1


@pytest.mark.concurrency
def test_concurrent_scans_of_one_code_check_in_once(app, make_user):
    organiser, talent = make_user("organiser"), make_user()
    event = make_event()
    registration = register(event, talent)
    event_id, code, organiser_id = event.id, registration.check_in_code, organiser.id
    db.session.commit()
    outcomes, barrier = [], threading.Barrier(4)

    def scan():
        with app.app_context():
            barrier.wait()
            try:
                services.check_in_by_code(
                    db.session.get(Event, event_id), code, db.session.get(type(organiser), organiser_id)
                )
                db.session.commit()
                outcomes.append("ok")
            except Conflict as error:
                db.session.rollback()
                outcomes.append(error.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_checked_in"] * 3 + ["ok"]
    assert db.session.scalar(db.select(db.func.count(CheckIn.id)).where(CheckIn.event_id == event_id)) == 1


@pytest.mark.parametrize(
    ("minutes_from_start", "ok"),
    [(-7 * 24 * 60, False), (-61, False), (-60, True), (0, True), (120 + 120, True), (120 + 121, False)],
)
def test_check_in_is_open_from_an_hour_before_to_two_hours_after_the_session(make_user, minutes_from_start, ok):
    organiser, talent = make_user("organiser"), make_user()
    event = make_event(hours=2)
    registration = register(event, talent)
    when = event.sessions[0].starts_at + timedelta(minutes=minutes_from_start)
    if ok:
        assert services.check_in_registration(event, registration, organiser, now=when).places == 1
        return
    with pytest.raises(RuleViolation) as error:
        services.check_in_by_code(event, registration.check_in_code, organiser, now=when)
    assert error.value.code == "outside_check_in_window"
    assert to_local(event.sessions[0].starts_at - timedelta(hours=1)).strftime("%H:%M") in error.value.message
    db.session.rollback()
    assert _check_ins(event) == []


def test_walk_in_only_while_the_sessions_check_in_is_open(make_user):
    organiser = make_user("organiser")
    event = make_event(start=now_utc().replace(microsecond=0) + timedelta(days=7))
    session = event.sessions[0]
    opens, closes = session.check_in_window
    with pytest.raises(RuleViolation) as error:
        services.add_walk_in(event, organiser, "王五", "liwan", 1, session.id, now=opens - timedelta(minutes=1))
    assert error.value.code == "outside_check_in_window"
    with pytest.raises(RuleViolation):
        services.add_walk_in(event, organiser, "王五", "liwan", 1, session.id, now=closes + timedelta(minutes=1))
    assert _check_ins(event) == []
    services.add_walk_in(event, organiser, "王五", "liwan", 1, session.id, now=opens)
    assert len(_check_ins(event)) == 1
