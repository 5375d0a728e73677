"""The attendance figures' definition (app.attendance.figures) on randomised check-in histories:
several sessions, walk-ins with and without a district, cancelled and waiting sign-ups, families of
several children; checked against a plain model of the definition and against its invariants."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from attendance_factories import make_event, register
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.schemas.registrations import Attendance
from app.attendance.figures import FIGURE_DISTRICTS, figures_of
from app.attendance.records import attendance_record
from app.extensions import db
from app.models import CheckIn
from app.timezones import now_utc

KEYS = ("registered", "attended", "walk_ins", "no_show")

sign_up = st.fixed_dictionaries(
    {
        "who": st.sampled_from(["liwan", "nanhai", "none"]),
        "district": st.sampled_from([None, "liwan", "nanhai"]),  # the sign-up's own, else the talent's
        "status": st.sampled_from(["confirmed", "confirmed", "cancelled", "waitlisted"]),
        "places": st.integers(1, 3),
        "children": st.integers(0, 3),
        "sessions": st.sets(st.integers(0, 2), max_size=3),
    }
)
walk_in = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["王五", "赵六", "Ann", "ann ", "Bob"]),
        "district": st.sampled_from(["liwan", "nanhai", "other", None]),
        "places": st.integers(1, 4),
        "session": st.integers(0, 2),
    }
)
history = st.fixed_dictionaries(
    {
        "sessions": st.integers(1, 3),
        "ended": st.booleans(),
        "sign_ups": st.lists(sign_up, max_size=6),
        "walk_ins": st.lists(walk_in, max_size=6),
    }
)


@pytest.fixture
def talents(make_user):
    """Six accounts of each kind (one sign-up an account and event): of Liwan, of Nanhai, of no district."""
    nobody = [make_user("organiser") for _ in range(6)]
    for user in nobody:
        user.district = None  # e.g. an account whose district was never set
    db.session.commit()
    return {
        "liwan": [make_user(district="liwan") for _ in range(6)],
        "nanhai": [make_user(district="nanhai") for _ in range(6)],
        "none": nobody,
    }


def _district(value):
    return value if value in ("liwan", "nanhai") else "other"


def _build(case, talents):
    start = now_utc() - timedelta(days=10) if case["ended"] else now_utc() + timedelta(hours=1)
    event = make_event(start=start, sessions=case["sessions"])
    sessions = event.sessions
    model = {d: dict.fromkeys(KEYS, 0) for d in FIGURE_DISTRICTS}
    per_session = [{"attended": 0, "walk_ins": 0} for _ in sessions]
    used = defaultdict(int)
    for s in case["sign_ups"]:
        user = talents[s["who"]][used[s["who"]]]
        used[s["who"]] += 1
        children = [f"孩子{n}" for n in range(s["children"])] or None
        registration = register(event, user, places=s["places"], status=s["status"], children=children)
        registration.district = s["district"]
        came = sorted(i for i in s["sessions"] if i < len(sessions))
        for i in came:
            db.session.add(CheckIn(event_id=event.id, session_id=sessions[i].id, registration_id=registration.id))
        if s["status"] != "confirmed":
            continue
        counts = model[_district(s["district"] or user.district)]
        counts["registered"] += registration.places
        counts["attended"] += registration.places if came else 0
        for i in came:
            per_session[i]["attended"] += registration.places
    people = defaultdict(lambda: defaultdict(int))  # (name, district) -> session -> places
    for w in case["walk_ins"]:
        i = w["session"] % len(sessions)
        db.session.add(
            CheckIn(
                event_id=event.id,
                session_id=sessions[i].id,
                walk_in_name=w["name"],
                walk_in_district=w["district"],
                places=w["places"],
            )
        )
        people[(w["name"].strip().lower(), w["district"])][i] += w["places"]
        per_session[i]["walk_ins"] += w["places"]
    for (_name, district), by_session in people.items():
        model[_district(district)]["walk_ins"] += max(by_session.values())
    for counts in model.values():
        counts["no_show"] = counts["registered"] - counts["attended"] if case["ended"] else 0
    db.session.commit()
    return event, model, per_session


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=history)
def test_figures_follow_their_definition_and_add_up(talents, case):
    event, model, per_session = _build(case, talents)
    figures = figures_of(event)
    assert {d: c.as_dict() for d, c in figures.by_district.items()} == model
    for key in KEYS:
        assert getattr(figures, key) == sum(model[d][key] for d in FIGURE_DISTRICTS)
    assert figures.present == figures.attended + figures.walk_ins
    assert 0 <= figures.attended <= figures.registered
    assert figures.no_show == (figures.registered - figures.attended if case["ended"] else 0)
    if figures.registered:
        assert figures.attendance_rate == round(figures.attended / figures.registered, 3)
    else:
        assert figures.attendance_rate is None
    sessions = [(s.registered, s.attended, s.walk_ins) for s in figures.by_session]
    assert sessions == [(figures.registered, s["attended"], s["walk_ins"]) for s in per_session]
    assert all(s.attended <= figures.attended for s in figures.by_session)
    assert (
        max(s.walk_ins for s in figures.by_session) <= figures.walk_ins <= sum(s.walk_ins for s in figures.by_session)
    )

    record = Attendance.model_validate(attendance_record(event)).model_dump(mode="json")
    assert [record[k] for k in (*KEYS, "present")] == [*(getattr(figures, k) for k in KEYS), figures.present]
    assert record["by_district"] == model
    assert [s["attended"] for s in record["by_session"]] == [s["attended"] for s in per_session]


def test_a_walk_in_of_no_district_counts_under_other(make_user):
    """The issue's event: 2 registered, 1 came, 3 walk-in places of which one of no district."""
    event = make_event(start=now_utc() - timedelta(days=2))
    came = register(event, make_user(district="liwan"))
    register(event, make_user(district="nanhai"))
    session = event.sessions[0]
    db.session.add(CheckIn(event_id=event.id, session_id=session.id, registration_id=came.id))
    for name, district in (("甲", "liwan"), ("乙", "nanhai"), ("丙", "other")):
        db.session.add(CheckIn(event_id=event.id, session_id=session.id, walk_in_name=name, walk_in_district=district))
    db.session.commit()
    figures = figures_of(event)
    assert (figures.registered, figures.attended, figures.no_show, figures.walk_ins) == (2, 1, 1, 3)
    assert (figures.present, figures.attendance_rate) == (4, 0.5)
    assert sum(c.present for c in figures.by_district.values()) == 4
    assert figures.by_district["other"].as_dict() == {"registered": 0, "attended": 0, "walk_ins": 1, "no_show": 0}
