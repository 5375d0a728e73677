"""A VEVENT's text is written without building an icalendar component, exactly as the library
writes the component: property order, value types, escaping and folding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser.string import _foldline

from app.feeds import ics
from app.timezones import LOCAL_TZ

# Text as people type it, and the characters iCalendar escapes or folds around.
TEXT = st.text(
    st.sampled_from(list("ab ;,:\\^\"'\n\r\t") + ["荔", "湾", "é", "😀", "·", "\u3000"])
    | st.characters(exclude_categories=["Cs"]),  # stored text holds no lone surrogates
    max_size=300,
)
TIMES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda value: value.replace(tzinfo=UTC)
)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=400))
def test_a_line_is_folded_as_the_library_folds_it(line):
    line = line.replace("\n", " ")
    assert ics.folded(line) == _foldline(line)


@settings(max_examples=300, deadline=None)
@given(
    summary=TEXT,
    description=st.none() | TEXT,
    location=TEXT,
    times=st.lists(TIMES, min_size=4, max_size=4),
    sequence=st.integers(min_value=0, max_value=10_000),
    status=st.sampled_from(["CONFIRMED", "TENTATIVE", "CANCELLED"]),
    kind=st.sampled_from(["exchange", "study_tour", "youth_camp"]),
)
def test_an_entry_is_written_as_the_library_writes_its_component(
    summary, description, location, times, sequence, status, kind
):
    properties = [
        ("UID", f"booking-{sequence}@talent-home"),
        ("DTSTAMP", times[0]),
        ("DTSTART", times[1]),
        ("DTEND", times[2]),
        ("SUMMARY", summary),
        ("LOCATION", location),
        ("URL", "https://talent.example/rooms/3?x=a,b;c"),
        ("SEQUENCE", sequence),
        ("LAST-MODIFIED", times[3]),
        ("STATUS", status),
        ("CATEGORIES", [kind]),
    ]
    if description is not None:
        properties.insert(5, ("DESCRIPTION", description))
    assert ics.vevent_text(properties) == ics.component_of(properties).to_ical().decode("utf-8")


def test_a_time_not_yet_read_back_is_written_in_utc(make_user, room):
    """A booking made in this transaction may still hold the local times it was given: its entry
    gives them in UTC, as every time in the feeds (which carry no VTIMEZONE)."""
    from bookings_factories import add_booking

    start = datetime(2026, 12, 9, 14, 0, tzinfo=LOCAL_TZ)
    booking = add_booking(room, make_user(), start, start + timedelta(hours=1))
    booking.starts_at, booking.ends_at = start, start + timedelta(hours=1)  # as given, in Asia/Shanghai
    for with_details in (True, False):
        text = ics.vevent_text(ics.booking_properties(booking, with_details))
        assert "\r\nDTSTART:20261209T060000Z\r\n" in text and "\r\nDTEND:20261209T070000Z\r\n" in text
        assert "TZID" not in text
