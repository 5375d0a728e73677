"""Object-level permissions, walked as six callers: nobody reads or changes what is not theirs.

Talent A owns a booking in the Liwan home and a place at a Liwan event; talent B owns nothing;
the Nanhai organiser is of the other district; the Liwan organiser hosts; the admin sees all.
"""

from datetime import timedelta

import pytest
from events_factories import event_body, published

from app.events import registrations as regs
from app.events import services as event_services
from app.extensions import db
from app.models import Booking
from app.timezones import now_utc

ACTORS = ("anonymous", "talent_a", "talent_b", "other_organiser", "host_organiser", "admin")
L = "login"  # a page redirecting an anonymous visitor to the login form

# (method, path, expected status for each actor in ACTORS)
MATRIX = [
    ("GET", "/api/v1/me", (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/me/export", (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/bookings/{booking}", (401, 200, 404, 404, 200, 200)),
    ("POST", "/api/v1/bookings/{booking}/approve", (401, 403, 404, 404, 409, 409)),
    ("GET", "/api/v1/registrations/{registration}", (401, 200, 404, 404, 200, 200)),
    ("POST", "/api/v1/registrations/{registration}/promote", (401, 403, 404, 404, 409, 409)),
    ("GET", "/api/v1/events/{draft}", (404, 404, 404, 404, 200, 200)),
    ("PATCH", "/api/v1/events/{draft}", (401, 404, 404, 404, 200, 200)),
    ("PATCH", "/api/v1/events/{event}", (401, 403, 403, 403, 200, 200)),
    ("POST", "/api/v1/events/{draft}/publish", (401, 404, 404, 404, 200, 409)),
    ("GET", "/api/v1/events/{event}/registrations", (401, 403, 403, 403, 200, 200)),
    ("POST", "/api/v1/events/{event}/check-ins", (401, 403, 403, 403, 404, 404)),
    ("GET", "/api/v1/events/{event}/attendance", (404, 404, 404, 404, 200, 200)),
    ("POST", "/api/v1/events/{event}/attendance/publish", (401, 403, 403, 403, 422, 422)),
    ("GET", "/bookings/{booking}", (L, 200, 404, 404, 200, 200)),
    ("GET", "/registrations/{registration}/ticket", (L, 200, 404, 404, 200, 200)),
    ("GET", "/events/{draft}", (404, 404, 404, 404, 200, 200)),
    ("GET", "/events/{event}/roster", (L, 403, 403, 403, 200, 200)),
    ("GET", "/events/{event}/check-in", (L, 403, 403, 403, 200, 200)),
    ("GET", "/events/{event}/attendance.csv", (401, 403, 403, 403, 200, 200)),
    ("GET", "/events/{event}/edit", (L, 403, 403, 403, 200, 200)),
    ("GET", "/homes/liwan/closures", (L, 403, 403, 403, 200, 200)),
    ("GET", "/rooms/{room}/edit", (L, 403, 403, 403, 200, 200)),
    ("GET", "/credentials/pending", (L, 403, 403, 200, 200, 200)),
    ("GET", "/admin/audit", (L, 403, 403, 200, 200, 200)),
    ("GET", "/admin/users", (L, 403, 403, 403, 403, 200)),
    ("GET", "/admin/notifications", (L, 403, 403, 403, 403, 200)),
    ("GET", "/admin/registry", (L, 403, 403, 403, 403, 200)),
]


@pytest.fixture
def world(make_user, room):
    people = {
        "talent_a": make_user(district="liwan"),
        "talent_b": make_user(district="nanhai"),
        "other_organiser": make_user(role="organiser", district="nanhai"),
        "host_organiser": make_user(role="organiser", district="liwan"),
        "admin": make_user(role="admin", district=None),
    }
    start = (now_utc() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    booking = Booking(
        room_id=room.id,
        user_id=people["talent_a"].id,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        title="私人读书会",
        purpose="seminar",
        attendees=2,
        status="confirmed",
    )
    db.session.add(booking)
    event = published(people["host_organiser"])
    registration = regs.register(people["talent_a"], event.id, {"consent": True})
    draft = event_services.create_event(people["host_organiser"], event_body(title="草稿"))
    db.session.commit()
    ids = {
        "booking": booking.id,
        "event": event.id,
        "registration": registration.id,
        "draft": draft.id,
        "room": room.id,
    }
    return people, ids


def _call(app, people, actor, method, path, page):
    """One request as `actor`: pages through the login form's session, the API with a bearer token."""
    client = app.test_client()
    headers = {}
    if actor != "anonymous" and page:
        client.post("/login", data={"email": people[actor].email, "password": "Passw0rd123"})
    elif actor != "anonymous":
        token = client.post("/api/v1/auth/token", json={"email": people[actor].email, "password": "Passw0rd123"})
        headers["Authorization"] = f"Bearer {token.get_json()['token']}"
    body = None if page else ({"title": "新标题"} if method == "PATCH" else {"code": "XXXX"})
    return client.open(path, method=method, json=body, headers=headers)


@pytest.mark.parametrize("method, path, expected", MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_matrix(app, world, method, path, expected):
    people, ids = world
    url = path.format(**ids)
    page = not path.startswith("/api/")
    got = []
    for actor in ACTORS:
        response = _call(app, people, actor, method, url, page)
        status = response.status_code
        if status == 302 and "/login" in response.headers.get("Location", ""):
            status = L
        got.append(status)
    assert tuple(got) == expected, dict(zip(ACTORS, got, strict=True))
    db.session.expire_all()
    assert db.session.get(Booking, ids["booking"]).title == "私人读书会"
