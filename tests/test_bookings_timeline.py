"""The timeline read model: one block per booking over its length, what each viewer is told, closures
and opening hours, free half-hours proposing the searched length, the one statement it costs."""

from __future__ import annotations

from datetime import date

import pytest
from bookings_factories import NOW, add_booking, at
from sqlalchemy import event

from app.bookings import queries
from app.bookings.timeline import timelines
from app.extensions import db
from app.models import Closure, Room
from app.timezones import to_local

THURSDAY, SATURDAY = date(2026, 11, 12), date(2026, 11, 14)


def hhmm(value) -> str:
    return to_local(value).strftime("%H:%M")


def row(tl, n: int = 0) -> list[tuple]:
    """(kind, columns, shown start–end, state, label) of a lane's blocks."""
    return [(b.kind, b.span, f"{hhmm(b.shown[0])}–{hhmm(b.shown[1])}", b.state, b.label) for b in tl.lanes[n].blocks]


def one_lane(room, day, viewer=None, search=None):
    return timelines([[(room, day)]], viewer, now=NOW, search=search)[0]


def test_a_booking_is_one_block_spanning_its_length(room, make_user):
    add_booking(room, make_user(), at("2026-11-12 10:00"), at("2026-11-12 12:30"), title="读书会")
    blocks = row(one_lane(room, THURSDAY))
    assert blocks[0][:3] == ("free", 1, "09:00–09:30") and blocks[1][:3] == ("free", 1, "09:30–10:00")
    assert blocks[2] == ("booking", 5, "10:00–12:30", "booked", "")  # no title for a stranger
    assert blocks[3][:3] == ("free", 1, "12:30–13:00")
    assert sum(b[1] for b in blocks) == 24  # 09:00–21:00 in half-hours


@pytest.mark.parametrize(
    ("viewer", "status", "state", "pending", "label", "opens"),
    [
        ("booker", "confirmed", "yours", False, "", True),
        ("booker", "pending", "yours", True, "", True),
        ("other", "pending", "booked", True, "", False),
        ("other", "confirmed", "booked", False, "", False),
        ("organiser", "confirmed", "booked", False, "读书会", True),
        ("other-organiser", "confirmed", "booked", False, "", False),
        ("visitor", "confirmed", "booked", False, "", False),
    ],
)
def test_what_each_viewer_is_told(room, make_user, viewer, status, state, pending, label, opens):
    booker = make_user()
    users = {
        "booker": booker,
        "other": make_user(),
        "organiser": make_user(role="organiser", district="liwan"),
        "other-organiser": make_user(role="organiser", district="nanhai"),
        "visitor": None,
    }
    booking = add_booking(room, booker, at("2026-11-12 14:00"), at("2026-11-12 15:00"), status=status, title="读书会")
    block = next(b for b in one_lane(room, THURSDAY, users[viewer]).lanes[0].blocks if b.kind == "booking")
    assert (block.state, block.pending, block.label) == (state, pending, label)
    assert block.booking_id == (booking.id if opens else None)


def test_cancelled_bookings_leave_the_time_free(room, make_user):
    add_booking(room, make_user(), at("2026-11-12 10:00"), at("2026-11-12 11:00"), status="cancelled")
    assert {b[0] for b in row(one_lane(room, THURSDAY))} == {"free"}


def test_closures_are_shaded_and_hours_bound_the_lanes(homes, room):
    other = db.session.scalar(db.select(Room).where(Room.home_id == room.home_id, Room.id != room.id))
    db.session.add(
        Closure(
            home_id=room.home_id,
            room_id=room.id,
            starts_at=at("2026-11-14 13:00"),
            ends_at=at("2026-11-14 15:00"),
            reason="检修",
        )
    )
    db.session.add(Closure(home_id=room.home_id, starts_at=at("2026-11-13 00:00"), ends_at=at("2026-11-14 00:00")))
    db.session.commit()
    week = queries.room_week_timeline(room, THURSDAY, None, days=3)
    assert week.columns == 24 and [h.start for h in week.hours][0] == at("2026-11-12 09:00")
    assert row(week, 1) == [("closure", 24, "09:00–21:00", "", "")]  # the whole home, all Friday
    saturday = row(week, 2)  # weekend hours 09:00–17:30 inside the week's 09:00–21:00
    assert ("closure", 4, "13:00–15:00", "", "检修") in saturday
    assert saturday[-1] == ("closed", 7, "17:30–21:00", "", "")
    assert ("closure", 4, "13:00–15:00", "", "检修") not in row(one_lane(other, SATURDAY))


def test_a_public_holiday_closes_the_lane(room):
    lane = one_lane(room, date(2026, 10, 1)).lanes[0]
    assert lane.closed == "holiday" and {b.kind for b in lane.blocks} == {"closed"}


def test_free_half_hours_propose_the_searched_length_up_to_the_next_booking(room, make_user):
    add_booking(room, make_user(), at("2026-11-12 16:00"), at("2026-11-12 17:00"))
    tl = one_lane(room, THURSDAY, search=(at("2026-11-12 14:00"), at("2026-11-12 16:00")))
    free = {hhmm(b.start): hhmm(b.book_end) for b in tl.lanes[0].blocks if b.kind == "free"}
    assert free["14:00"] == "16:00" and free["15:00"] == "16:00" and free["17:00"] == "19:00"
    assert [hhmm(b.start) for b in tl.lanes[0].blocks if b.searched] == ["14:00", "14:30", "15:00", "15:30"]
    assert [hhmm(h.start) for h in tl.hours if h.focus] == ["14:00"]
    assert one_lane(room, THURSDAY).lanes[0].blocks[0].book_end == at("2026-11-12 10:00")  # an hour by default


def test_the_past_is_not_offered_and_now_is_marked(room):
    now = at("2026-11-12 10:10")
    tl = timelines([[(room, THURSDAY)]], None, now=now)[0]
    blocks = tl.lanes[0].blocks
    assert (blocks[0].kind, blocks[0].span, hhmm(blocks[0].end)) == ("past", 3, "10:30")
    assert blocks[0].now_at == 15  # 70 of 90 minutes, in 5 % steps
    assert tl.now == now and [hhmm(h.start) for h in tl.hours if h.focus] == ["10:00"]
    assert [h.now_at for h in tl.hours if h.now_at is not None] == [3]
    assert timelines([[(room, date(2026, 11, 13))]], None, now=now)[0].now is None


def test_the_find_page_reads_bookings_and_closures_in_one_statement(homes):
    rooms = list(db.session.scalars(db.select(Room).order_by(Room.id)))
    for n, r in enumerate(rooms):
        add_booking(r, None, at(f"2026-11-12 {10 + n % 8}:00"), at(f"2026-11-12 {11 + n % 8}:00"))
    db.session.add(Closure(home_id=rooms[0].home_id, starts_at=at("2026-11-12 19:00"), ends_at=at("2026-11-12 21:00")))
    db.session.commit()
    for r in rooms:
        r.home.opening_hours  # noqa: B018 (loaded before counting: the lanes read hours from their home)
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        found = queries.find_timelines(rooms, THURSDAY, None)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    reads = [s for s in statements if "bookings" in s or "closures" in s]
    assert len(reads) == 1 and "UNION ALL" in reads[0]
    assert [home.district for home, _tl in found] == ["liwan", "nanhai"]
    assert all(sum(b.kind == "booking" for b in lane.blocks) == 1 for _h, tl in found for lane in tl.lanes)
    assert all(lane.blocks[-1].kind == "closure" for lane in found[0][1].lanes)
