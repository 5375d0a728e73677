"""Absolute links come from PUBLIC_BASE_URL whatever Host a request names; TRUSTED_HOSTS and PROXY_FIX."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import segno
from bookings_factories import add_booking
from events_factories import published
from flask import request
from icalendar import Calendar

from app import create_app
from app.extensions import db
from app.models import Notification
from app.timezones import now_utc
from config import ConfigError, TestConfig, env_list

BASE = TestConfig.PUBLIC_BASE_URL
EVIL = {"Host": "evil.example"}


def urls_in(text: str) -> list[str]:
    return re.findall(r"(?:https?|webcal)://[^\s\"'<>]+", text)


def assert_only_base(urls: list[str]) -> None:
    assert urls, "no absolute URL at all"
    assert all(url.split("://", 1)[1].startswith(BASE.split("://", 1)[1] + "/") for url in urls), urls


def ics_urls(text: str) -> list[str]:
    return [str(c["url"]) for c in Calendar.from_ical(text).walk("VEVENT")]


def test_password_reset_mail_links_to_the_public_base(client, make_user):
    user = make_user()
    assert client.post("/api/v1/auth/password-reset", json={"email": user.email}, headers=EVIL).status_code == 202
    body = db.session.scalar(db.select(Notification.body_text).where(Notification.kind == "password_reset"))
    assert "evil.example" not in body
    assert re.search(rf"{re.escape(BASE)}/password/reset/\S+", body)


def test_forgot_password_page_mail_links_to_the_public_base(client, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email}, headers=EVIL)
    body = db.session.scalar(db.select(Notification.body_text).where(Notification.kind == "password_reset"))
    assert_only_base(urls_in(body))


def test_calendar_url_ignores_the_host(api, make_user):
    user = make_user()
    api.login(user)
    me = api.client.get("/api/v1/me", headers={**api.headers, **EVIL}).get_json()
    assert me["calendar_url"] == f"{BASE}/calendar/{user.calendar_token}.ics"
    renewed = api.client.post("/api/v1/me/calendar-token", headers={**api.headers, **EVIL}).get_json()
    db.session.expire_all()
    assert renewed["calendar_url"] == f"{BASE}/calendar/{user.calendar_token}.ics"


def test_event_url_ignores_the_host(client, make_user):
    event = published(make_user(role="organiser", district="liwan"))
    assert client.get(f"/api/v1/events/{event.id}", headers=EVIL).get_json()["url"] == f"{BASE}/events/{event.id}"
    listed = client.get("/api/v1/events", headers=EVIL).get_json()["items"]
    assert [item["url"] for item in listed] == [f"{BASE}/events/{event.id}"]


def test_feeds_url_lines_ignore_the_host(client, make_user, room):
    talent = make_user()
    event = published(make_user(role="organiser", district="liwan"), title="徒步")
    start = now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    add_booking(room, talent, start, start + timedelta(hours=1), title="研讨")
    event_url, room_url = f"{BASE}/events/{event.id}", f"{BASE}/rooms/{room.id}"
    for path, expected in [
        ("/calendar.ics", [event_url]),
        (f"/events/{event.id}.ics", [event_url]),
        (f"/rooms/{room.id}/calendar.ics", [room_url]),
        (f"/calendar/{talent.calendar_token}.ics", [room_url]),
    ]:
        assert ics_urls(client.get(path, headers=EVIL).get_data(as_text=True)) == expected, path
        # Once cached, the feed is the same body for every Host.
        assert ics_urls(client.get(path).get_data(as_text=True)) == expected, path


def test_mail_attachment_links_to_the_public_base(api_as, make_user):
    event = published(make_user(role="organiser", district="liwan"))
    talent = api_as(make_user())
    response = talent.client.post(
        f"/api/v1/events/{event.id}/registrations", json={"consent": True}, headers={**talent.headers, **EVIL}
    )
    assert response.status_code == 201
    attached = db.session.scalar(db.select(Notification.ics).where(Notification.kind == "registration_confirmed"))
    assert ics_urls(attached) == [f"{BASE}/events/{event.id}"]


def test_reminders_queued_by_the_cli_link_to_the_public_base(runner, make_user, room):
    start = now_utc().replace(microsecond=0) + timedelta(hours=5)
    booking = add_booking(room, make_user(), start, start + timedelta(hours=1), title="Seminar")
    assert runner.invoke(args=["send-notifications"]).exit_code == 0
    attached = db.session.scalar(db.select(Notification.ics).where(Notification.dedupe_key.contains(str(booking.id))))
    assert ics_urls(attached) == [f"{BASE}/rooms/{room.id}"]


@pytest.fixture
def qr_texts(monkeypatch) -> list[str]:
    """What the QR codes drawn during the test encode."""
    texts: list[str] = []
    make = segno.make

    def spy(content, *args, **kwargs):
        texts.append(content)
        return make(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    return texts


def test_qr_codes_encode_the_public_base(client, room, qr_texts, make_user):
    # The room's check-in code is for its home's organisers (and bookers about to check in), never public.
    organiser = make_user(role="organiser", district="liwan")
    client.post("/login", data={"email": organiser.email, "password": "Passw0rd123"}, headers=EVIL)
    assert client.get(f"/rooms/{room.id}/qr.svg", headers=EVIL).status_code == 200
    assert client.get(f"/rooms/{room.id}", headers=EVIL).status_code == 200
    assert qr_texts == [f"{BASE}/rooms/{room.id}/check-in"] * 2


def test_subscribe_page_and_its_qr_code_use_the_public_base(client, make_user, qr_texts):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "Passw0rd123"}, headers=EVIL)
    page = client.get("/calendar/subscribe?district=liwan", headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in page and "localhost" not in page
    host = BASE.split("://", 1)[1]
    assert f"webcal://{host}/calendar.ics?district=liwan" in page
    assert f"webcal://{host}/calendar/{user.calendar_token}.ics" in page
    assert qr_texts == [
        f"webcal://{host}/calendar.ics?district=liwan",
        f"webcal://{host}/calendar/{user.calendar_token}.ics",
    ]


def test_trusted_hosts_refuse_another_host(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["talent-home.example"])
    assert client.get("/privacy", headers=EVIL).status_code == 400
    assert client.post("/login", data={"email": "a@example.com", "password": "x"}, headers=EVIL).status_code == 400
    refused = client.post("/api/v1/auth/password-reset", json={"email": "a@example.com"}, headers=EVIL)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "bad_request"
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0
    assert client.get("/privacy", headers={"Host": "talent-home.example"}).status_code == 200


def test_trusted_hosts_come_from_a_comma_separated_variable(monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", " talent-home.example, .talent-home.example ,")
    assert env_list("TRUSTED_HOSTS") == ["talent-home.example", ".talent-home.example"]
    monkeypatch.setenv("TRUSTED_HOSTS", "")
    assert env_list("TRUSTED_HOSTS") is None


def _app_with(**settings):
    config = type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    return create_app(config)


@pytest.mark.parametrize("hops, expected", [(0, "10.0.0.1 http"), (1, "203.0.113.7 https")])
def test_proxy_fix_trusts_forwarded_headers_only_when_set(hops, expected):
    application = _app_with(PROXY_FIX=hops)
    application.add_url_rule("/peer", "peer", lambda: f"{request.remote_addr} {request.scheme}")
    response = application.test_client().get(
        "/peer",
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.get_data(as_text=True) == expected


@pytest.mark.parametrize(
    "base", ["talent-home.example", "ftp://talent-home.example", "https://", "https://x.example/?a=1"]
)
def test_a_public_base_url_that_is_no_web_address_stops_the_start(base):
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        _app_with(PUBLIC_BASE_URL=base)


def test_urls_by_id_builds_what_url_for_builds_for_each_id(app):
    from flask import url_for

    from app.urls import urls_by_id

    with app.test_request_context("/"):
        show = urls_by_id("bookings.show", "booking_id")
        qr = urls_by_id("bookings.room_qr", "room_id")
        find = urls_by_id("bookings.find", "booking_id", date="2027-01-15")  # an id the route takes as a query
        for n in (1, 7, 42, 10**9):
            assert show(n) == url_for("bookings.show", booking_id=n)
            assert qr(n) == url_for("bookings.room_qr", room_id=n)
            assert find(n) == url_for("bookings.find", booking_id=n, date="2027-01-15")
