"""API: tokens, registration, me, the error shape."""

import pytest

from app.extensions import db
from app.models import RegistryEntry, User

BODY = {
    "name": "Liang",
    "email": "liang@example.com",
    "password": "Secret123",
    "district": "nanhai",
    "credential": {"issuer": "nanhai_kunpeng", "number": "NH1"},
    "consent": True,
}


def test_register_verified_then_token_and_me(api):
    db.session.add(RegistryEntry(issuer="nanhai_kunpeng", number="NH1", holder_name="Liang"))
    db.session.commit()
    response = api.post("/api/v1/users", json=BODY)
    assert response.status_code == 201
    assert response.get_json()["talent_status"] == "verified"
    api.login("LIANG@example.com", "Secret123")
    me = api.get("/api/v1/me").get_json()
    assert me["email"] == "liang@example.com" and me["district"] == "nanhai"
    assert me["talent_status"] == "verified" and me["role"] == "talent"
    assert me["calendar_url"].endswith(".ics")


def test_register_pending_without_registry(api):
    response = api.post("/api/v1/users", json=BODY)
    assert response.get_json()["talent_status"] == "pending"


def test_duplicate_email_is_409(api):
    api.post("/api/v1/users", json=BODY)
    response = api.post(
        "/api/v1/users",
        json={**BODY, "email": "LIANG@EXAMPLE.COM", "credential": {"issuer": "nanhai_kunpeng", "number": "NH2"}},
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "email_taken"
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"consent": False}, "consent", "consent_required"),
        ({"consent": False, "password": "weak"}, "consent", "invalid"),
        ({"credential": {"issuer": "nope", "number": "1"}}, "credential.issuer", "invalid"),
        ({"credential": "LW1"}, "credential.issuer", "invalid"),
        ({"password": "weak"}, "password", "invalid"),
        ({"email": 5}, "email", "invalid"),
    ],
)
def test_validation_error_shape(api, change, field, code):
    response = api.post("/api/v1/users", json={**BODY, **change})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == code and field in error["fields"] and error["message"]
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b""])
def test_malformed_json_is_400(client, data):
    response = client.post("/api/v1/users", data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_wrong_password_401_and_missing_token_401(api, make_user):
    user = make_user()
    response = api.post("/api/v1/auth/token", json={"email": user.email, "password": "wrong"})
    assert response.status_code == 401 and response.get_json()["error"]["code"]
    assert api.get("/api/v1/me").status_code == 401
    api.headers = {"Authorization": "Bearer nonsense"}
    assert api.get("/api/v1/me").status_code == 401


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_session_cookie_does_not_authenticate_api(client, make_user, login):
    login(make_user())
    assert client.get("/api/v1/me").status_code == 401


def test_new_calendar_token_changes_url(api, make_user):
    api.login(make_user())
    before = api.get("/api/v1/me").get_json()["calendar_url"]
    after = api.post("/api/v1/me/calendar-token").get_json()["calendar_url"]
    assert before != after and api.get("/api/v1/me").get_json()["calendar_url"] == after


def test_homes_and_rooms(api, homes):
    items = api.get("/api/v1/homes").get_json()["items"]
    assert {h["district"] for h in items} == {"liwan", "nanhai"}
    assert items[0]["opening_hours"]["mon"] == ["09:00", "21:00"]
    rooms = api.get("/api/v1/rooms?home=nanhai").get_json()["items"]
    assert rooms and all(r["home"] == "nanhai" for r in rooms)
    assert any(r["requires_approval"] for r in rooms)
    big = api.get("/api/v1/rooms?min_capacity=50").get_json()["items"]
    assert big and all(r["capacity"] >= 50 for r in big)
    assert api.get("/api/v1/rooms?home=tianhe").status_code == 422
    assert api.get("/api/v1/rooms?min_capacity=lots").status_code == 422


def test_login_rate_limit_counts_failures_only(app, make_user, monkeypatch):
    from app.extensions import limiter

    user = make_user()
    client = app.test_client()
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per minute")
    limiter.reset()
    try:
        for _ in range(3):
            ok = client.post("/api/v1/auth/token", json={"email": user.email, "password": "Passw0rd123"})
            assert ok.status_code == 200
        statuses = [
            client.post("/api/v1/auth/token", json={"email": user.email, "password": "bad"}).status_code
            for _ in range(11)
        ]
        assert statuses[:10] == [401] * 10 and statuses[-1] == 429
        body = client.post("/api/v1/auth/token", json={"email": user.email, "password": "bad"}).get_json()
        assert body["error"]["code"] == "rate_limited"
    finally:
        limiter.reset()


@pytest.mark.parametrize("email", ["talent@example.test", "talent@district.local"])
def test_test_and_internal_domains_are_accepted(api, email):
    response = api.post("/api/v1/users", json={**BODY, "email": email})
    assert response.status_code == 201
    assert db.session.scalar(db.select(User.email)) == email
