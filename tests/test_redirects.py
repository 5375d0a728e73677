"""Every `next` and referrer leads back into this site only; anything else goes to the fallback page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bookings_factories import add_booking

from app.extensions import db
from app.models import Booking, User
from app.timezones import now_utc
from app.urls import is_local_path
from config import TestConfig

# Forms a browser (or urllib.parse) reads as another site, or that smuggle one in.
FOREIGN = [
    "https://evil.example/",
    "https:evil.example",
    "https:/evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
]
LOCAL = ["/", "/calendar?district=liwan&kind=exchange", "/events/3", "/login?next=%2Fevents"]
# Where a redirect given that `next` lands: a foreign target on the home page, a local one on itself.
LANDING = [(t, "/") for t in FOREIGN] + [(t, t) for t in LOCAL]


@pytest.mark.parametrize("target", FOREIGN)
def test_foreign_targets_are_not_local(target):
    assert not is_local_path(target)


@pytest.mark.parametrize("target", LOCAL)
def test_paths_of_this_site_are_local(target):
    assert is_local_path(target)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target, expected", LANDING)
def test_language_switch_lands_on_this_site(client, method, target, expected):
    response = getattr(client, method)("/lang/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == expected


@pytest.mark.parametrize(
    "referrer, expected",
    [
        (f"{TestConfig.PUBLIC_BASE_URL}/calendar?district=liwan", "/calendar?district=liwan"),
        (f"{TestConfig.PUBLIC_BASE_URL}:443/events/3", "/events/3"),
        ("https://evil.example/calendar", "/"),
        ("http://localhost/calendar", "/"),  # the request's own Host is not the public address
        (f"{TestConfig.PUBLIC_BASE_URL}//evil.example", "/"),
        (f"{TestConfig.PUBLIC_BASE_URL}/\\evil.example", "/"),
        ("http://[::1/", "/"),
        ("not a url", "/"),
    ],
)
def test_language_switch_goes_back_only_to_a_page_of_this_site(client, referrer, expected):
    response = client.get("/lang/en", headers={"Referer": referrer})
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("target, expected", LANDING)
def test_login_lands_on_this_site(client, make_user, target, expected):
    data = {"email": make_user().email, "password": "Passw0rd123"}
    response = client.post("/login", query_string={"next": target}, data=data)
    assert response.status_code == 302 and response.headers["Location"] == expected


@pytest.mark.parametrize("target, expected", LANDING)
def test_consent_lands_on_this_site(client, login, make_user, target, expected):
    user = make_user(consent_version="old")
    login(user)
    response = client.post("/consent", query_string={"next": target}, data={"consent": "y"})
    assert response.status_code == 302 and response.headers["Location"] == expected
    assert db.session.get(User, user.id).consent_version == TestConfig.PRIVACY_NOTICE_VERSION


def test_login_passes_only_a_local_next_on_to_consent(client, make_user):
    data = {"email": make_user(consent_version="old").email, "password": "Passw0rd123"}
    response = client.post("/login", query_string={"next": "/\\evil.example"}, data=data)
    assert response.headers["Location"] == "/consent?next=/"


@pytest.mark.parametrize("action", ["cancel", "check-in"])
@pytest.mark.parametrize("target, expected", [(t, "/bookings/mine") for t in FOREIGN if t] + [(t, t) for t in LOCAL])
def test_booking_actions_land_on_this_site(client, login, make_user, room, action, target, expected):
    user = make_user()
    start = now_utc().replace(microsecond=0) + timedelta(days=2)
    booking = add_booking(room, user, start, start + timedelta(hours=1))
    login(user)
    response = client.post(f"/bookings/{booking.id}/{action}", data={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == expected
    if action == "cancel":
        assert db.session.get(Booking, booking.id).status == "cancelled"
