"""Weekly series, cancelling, approvals, check-in, no-shows and suspensions (services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bookings_factories import NOW, add_booking, at, req
from flask import g

from app.bookings import queries
from app.bookings.services import actions, noshows
from app.bookings.services import booking as services
from app.errors.domain import DomainError
from app.extensions import db
from app.models import AuditEntry, Booking, Notification, Room


def statuses() -> list[str]:
    return list(db.session.scalars(db.select(Booking.status).order_by(Booking.starts_at)))


def kinds(user) -> list[str]:
    return list(db.session.scalars(db.select(Notification.kind).where(Notification.user_id == user.id)))


def raises(code, action, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        action(*args, **kwargs)
    db.session.rollback()
    assert caught.value.code == code, caught.value.message
    return caught.value


# Weekly series -------------------------------------------------------------------------------


def test_series_books_every_week_with_one_series_id(room, make_user):
    organiser = make_user(role="organiser")
    result = services.book_room(organiser, req(room, "2026-11-12 10:00", "2026-11-12 12:00", weekly=12), now=NOW)
    db.session.commit()
    starts = [b.starts_at for b in result.bookings]
    assert starts == [at("2026-11-12 10:00") + timedelta(weeks=n) for n in range(12)]
    assert len({b.series_id for b in result.bookings}) == 1 and result.bookings[0].series_id
    assert kinds(organiser) == ["booking_confirmed"]  # one message for the series


def test_series_is_all_or_nothing_and_lists_the_clashes(room, make_user):
    organiser = make_user(role="organiser")
    add_booking(room, make_user(), at("2026-11-26 11:00"), at("2026-11-26 12:00"))
    before = db.session.scalar(db.select(db.func.count(Booking.id)))
    error = raises(
        "conflict", services.book_room, organiser, req(room, "2026-11-12 10:00", "2026-11-12 12:00", weekly=8), now=NOW
    )
    assert error.status == 409
    assert [(c["date"], c["code"]) for c in error.details["clashes"]] == [("2026-11-26", "conflict")]
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == before


def test_series_free_dates_only_skips_clashes_and_holidays(room, make_user):
    organiser = make_user(role="organiser")
    add_booking(room, make_user(), at("2026-11-19 11:00"), at("2026-11-19 12:00"))
    # Thursday 31 December is free but Friday 1 January is a holiday: a Friday series meets it.
    result = services.book_room(
        organiser, req(room, "2026-11-13 10:00", "2026-11-13 11:00", weekly=8, free_dates_only=True), now=NOW
    )
    db.session.commit()
    assert [s["date"] for s in result.skipped] == ["2027-01-01"]
    assert [s["code"] for s in result.skipped] == ["closed"]
    assert len(result.bookings) == 7
    result = services.book_room(
        organiser, req(room, "2026-11-12 11:00", "2026-11-12 12:00", weekly=3, free_dates_only=True), now=NOW
    )
    db.session.commit()
    assert [(s["date"], s["code"]) for s in result.skipped] == [("2026-11-19", "conflict")]


@pytest.mark.parametrize("weekly", [0, 13, "2", True])
def test_series_length_is_checked(room, make_user, weekly):
    error = raises(
        "invalid",
        services.book_room,
        make_user(role="organiser"),
        req(room, "2026-11-12 10:00", "2026-11-12 11:00", weekly=weekly),
        now=NOW,
    )
    assert "repeat" in error.fields


def test_talent_series_counts_against_the_quota(room, make_user):
    talent = make_user()
    raises(
        "quota_exceeded",
        services.book_room,
        talent,
        req(room, "2026-11-12 10:00", "2026-11-12 11:00", weekly=4),
        now=NOW,
    )
    services.book_room(talent, req(room, "2026-11-12 10:00", "2026-11-12 11:00", weekly=3), now=NOW)
    db.session.commit()
    assert statuses() == ["confirmed"] * 3


# Cancelling ----------------------------------------------------------------------------------


def test_booker_cancels_before_the_start_and_frees_the_slot(room, make_user):
    talent = make_user()
    booking = add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    actions.cancel_booking(talent, booking.id, now=NOW)
    db.session.commit()
    assert statuses() == ["cancelled"]
    raises("already_cancelled", actions.cancel_booking, talent, booking.id, now=NOW)
    services.book_room(make_user(), req(room, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW)


def test_booker_cannot_cancel_after_the_start(room, make_user):
    talent = make_user()
    booking = add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    raises("already_started", actions.cancel_booking, talent, booking.id, now=at("2026-11-12 10:00"))
    assert statuses() == ["confirmed"]


def test_other_talents_get_not_found(room, make_user):
    booking = add_booking(room, make_user(), at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    assert raises("not_found", actions.cancel_booking, make_user(), booking.id, now=NOW).status == 404
    assert raises("not_found", actions.check_in, make_user(), booking.id, now=NOW).status == 404
    assert statuses() == ["confirmed"]


@pytest.mark.parametrize(("given", "stored_reason"), [("漏水 Water leak", "漏水 Water leak"), ("  ", None)])
def test_organiser_cancels_any_time_with_or_without_a_reason(room, make_user, given, stored_reason):
    talent, organiser = make_user(), make_user(role="organiser", district="liwan")
    booking = add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    actions.cancel_booking(organiser, booking.id, given, now=at("2026-11-12 10:30"))
    db.session.commit()
    stored = db.session.get(Booking, booking.id)
    assert (stored.status, stored.status_reason, stored.decided_by_id) == ("cancelled", stored_reason, organiser.id)
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.object_id == booking.id)) == "booking.cancel"
    assert kinds(talent) == ["booking_cancelled"]


def test_organiser_of_the_other_home_cannot_see_the_booking(room, make_user):
    booking = add_booking(room, make_user(), at("2026-11-12 10:00"), at("2026-11-12 11:00"), status="pending")
    nanhai = make_user(role="organiser", district="nanhai")
    assert raises("not_found", actions.cancel_booking, nanhai, booking.id, "x", now=NOW).status == 404
    assert raises("not_found", actions.decide_booking, nanhai, booking.id, True).status == 404
    assert raises("not_found", queries.visible_booking, nanhai, booking.id).status == 404
    assert statuses() == ["pending"]


# Approvals -----------------------------------------------------------------------------------


@pytest.fixture
def hall(homes) -> Room:
    return db.session.scalar(db.select(Room).where(Room.requires_approval.is_(True), Room.home_id == homes["liwan"].id))


def test_approve_and_reject(hall, make_user):
    talent, organiser = make_user(), make_user(role="organiser")
    first = services.book_room(talent, req(hall, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW).bookings[0]
    second = services.book_room(talent, req(hall, "2026-11-13 10:00", "2026-11-13 11:00"), now=NOW).bookings[0]
    db.session.commit()
    assert [b.id for b in queries.pending_for(organiser)] == [first.id, second.id]
    assert queries.pending_for(make_user(role="organiser", district="nanhai")) == []
    actions.decide_booking(organiser, first.id, True)
    db.session.commit()
    actions.decide_booking(organiser, second.id, False, "Reserved for a forum")
    db.session.commit()
    assert statuses() == ["confirmed", "rejected"]
    assert kinds(talent) == ["booking_pending", "booking_pending", "booking_approved", "booking_rejected"]
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 2
    raises("not_pending", actions.decide_booking, organiser, first.id, True)
    raises("not_pending", actions.decide_booking, organiser, second.id, False, "again")
    assert raises("forbidden", actions.decide_booking, talent, first.id, True).status == 403


# Check-in and no-shows -----------------------------------------------------------------------


@pytest.mark.parametrize(("minutes", "ok"), [(-16, False), (-15, True), (0, True), (15, True), (16, False)])
def test_check_in_window(room, make_user, minutes, ok):
    talent = make_user()
    booking = add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"))
    when = at("2026-11-12 10:00") + timedelta(minutes=minutes)
    if ok:
        actions.check_in(talent, booking.id, now=when)
        db.session.commit()
        assert db.session.get(Booking, booking.id).checked_in_at == when
        raises("already_checked_in", actions.check_in, talent, booking.id, now=when)
    else:
        assert raises("outside_check_in_window", actions.check_in, talent, booking.id, now=when).status == 422
        assert db.session.get(Booking, booking.id).checked_in_at is None


def test_pending_and_cancelled_bookings_cannot_check_in(room, make_user):
    talent = make_user()
    pending = add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 11:00"), status="pending")
    cancelled = add_booking(room, talent, at("2026-11-12 12:00"), at("2026-11-12 13:00"), status="cancelled")
    raises("not_confirmed", actions.check_in, talent, pending.id, now=at("2026-11-12 10:00"))
    raises("already_cancelled", actions.check_in, talent, cancelled.id, now=at("2026-11-12 12:00"))


def test_no_show_after_the_window_frees_the_rest_of_the_slot(room, make_user):
    talent = make_user()
    booking = add_booking(room, talent, at("2026-11-12 10:00"), at("2026-11-12 12:00"))
    checked = add_booking(room, talent, at("2026-11-12 13:00"), at("2026-11-12 14:00"), checked_in_at=NOW)
    assert noshows.process_no_shows(at("2026-11-12 10:15")) == 0
    assert noshows.process_no_shows(at("2026-11-12 10:16")) == 1
    db.session.commit()
    assert db.session.get(Booking, booking.id).status == "no_show"
    assert db.session.get(Booking, checked.id).status == "confirmed"
    later = services.book_room(
        make_user(), req(room, "2026-11-12 10:30", "2026-11-12 12:00"), now=at("2026-11-12 10:20")
    )
    assert later.bookings[0].status == "confirmed"


def test_three_no_shows_in_90_days_suspend_for_30_days_and_organisers_lift_it(room, make_user):
    talent, organiser = make_user(), make_user(role="organiser", district="nanhai")
    for day in ("2026-08-10", "2026-10-01", "2026-11-09"):  # the first is over 90 days back
        add_booking(room, talent, at(f"{day} 10:00"), at(f"{day} 11:00"))
    noshows.process_no_shows(NOW)
    db.session.commit()
    assert statuses() == ["no_show"] * 3
    assert talent.booking_suspended_until is None
    add_booking(room, talent, at("2026-11-10 07:00"), at("2026-11-10 07:30"))
    noshows.process_no_shows(NOW)
    db.session.commit()
    assert talent.booking_suspended_until == NOW + timedelta(days=30)
    assert "booking_suspended" in kinds(talent)
    assert [u.id for u in queries.suspended_users(NOW)] == [talent.id]
    raises("forbidden", noshows.lift_suspension, make_user(), talent, NOW)
    noshows.lift_suspension(organiser, talent, NOW)
    db.session.commit()
    assert talent.booking_suspended_until is None
    assert (
        db.session.scalar(db.select(AuditEntry.actor_id).where(AuditEntry.action == "booking.lift_suspension"))
        == organiser.id
    )


def test_settling_no_shows_before_booking_can_suspend(room, make_user):
    talent = make_user()
    for day in ("2026-10-20", "2026-10-27", "2026-11-03"):
        add_booking(room, talent, at(f"{day} 10:00"), at(f"{day} 11:00"))
    # The booking settles the three no-shows first, which suspends the talent: it is refused, and
    # the no-shows and the suspension stay.
    with pytest.raises(DomainError) as caught:
        services.book(talent, req(room, "2026-11-12 10:00", "2026-11-12 11:00"), now=NOW)
    assert caught.value.code == "suspended" and g.keep_work
    db.session.commit()  # as the request ends, keeping its work
    assert statuses() == ["no_show"] * 3
    assert talent.booking_suspended_until == NOW + timedelta(days=30)
