"""A new password, a logout or a revoked token end the credentials issued before."""

import pytest

from app.account import reset
from app.errors.domain import ValidationFailed
from app.extensions import db
from app.models import ApiToken, User

PASSWORD, NEW = "Passw0rd123", "Fresh2027pass"


def _page_client(app, user, remember=False):
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    assert client.post("/login", data=data).status_code == 302
    return client


def _with_cookie(app, name, value):
    """A new browser holding only this cookie (a copied session or remember cookie)."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def _token(app, user, password=PASSWORD) -> str | None:
    response = app.test_client().post("/api/v1/auth/token", json={"email": user.email, "password": password})
    return response.get_json()["token"] if response.status_code == 200 else None


def _logged_in(client) -> bool:
    response = client.get("/me/data")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _change_by_reset(app, user):
    client = app.test_client()
    response = client.post(f"/password/reset/{reset.make_reset_token(user)}", data={"password": NEW})
    assert response.status_code == 302


def _change_on_the_page(app, user):
    client = _page_client(app, user)
    data = {"current_password": PASSWORD, "new_password": NEW, "confirm": NEW}
    assert client.post("/me/password", data=data).status_code == 302


def _change_by_api(app, user):
    response = app.test_client().post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW},
        headers={"Authorization": f"Bearer {_token(app, user)}"},
    )
    assert response.status_code == 204


@pytest.mark.parametrize("change", [_change_by_reset, _change_on_the_page, _change_by_api])
def test_a_new_password_ends_old_tokens_sessions_and_remember_cookies(app, make_user, api_as, change):
    user = make_user()
    token = api_as(user)
    session = _page_client(app, user)
    remember = _page_client(app, user, remember=True).get_cookie("remember_token").value
    assert token.get("/api/v1/me").status_code == 200
    assert _logged_in(session) and _logged_in(_with_cookie(app, "remember_token", remember))

    change(app, user)

    assert token.get("/api/v1/me").status_code == 401
    assert not _logged_in(session)
    assert not _logged_in(_with_cookie(app, "remember_token", remember))
    assert session.get("/me/data").headers["Location"].startswith("/login")
    assert _token(app, user, NEW) and not _token(app, user, PASSWORD)


def test_changing_on_the_page_keeps_this_session_and_its_remember_cookie(app, make_user):
    user = make_user()
    client = _page_client(app, user, remember=True)
    old_remember = client.get_cookie("remember_token").value
    data = {"current_password": PASSWORD, "new_password": NEW, "confirm": NEW}
    response = client.post("/me/password", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/me/data"
    assert _logged_in(client)
    new_remember = client.get_cookie("remember_token").value
    assert new_remember != old_remember
    assert _logged_in(_with_cookie(app, "remember_token", new_remember))
    assert not _logged_in(_with_cookie(app, "remember_token", old_remember))


def test_changing_by_api_keeps_only_the_calling_token(make_user, api_as):
    user = make_user()
    caller, other = api_as(user), api_as(user)
    response = caller.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW})
    assert response.status_code == 204
    assert caller.get("/api/v1/me").status_code == 200
    assert other.get("/api/v1/me").status_code == 401
    assert db.session.scalar(db.select(db.func.count(ApiToken.id)).where(ApiToken.user_id == user.id)) == 1


def test_a_copied_session_cookie_does_not_work_after_logout(app, make_user):
    user = make_user()
    client = _page_client(app, user)
    copy = _with_cookie(app, "session", client.get_cookie("session").value)
    assert _logged_in(copy)
    assert client.post("/logout").status_code == 302
    assert not _logged_in(copy) and not _logged_in(client)
    assert _logged_in(_page_client(app, user))


def test_api_logout_revokes_only_the_token_used(make_user, api_as):
    user = make_user()
    first, second = api_as(user), api_as(user)
    assert first.post("/api/v1/auth/logout").status_code == 204
    assert first.get("/api/v1/me").status_code == 401
    assert first.post("/api/v1/auth/logout").status_code == 401
    assert second.get("/api/v1/me").status_code == 200
    assert db.session.scalar(db.select(db.func.count(ApiToken.id)).where(ApiToken.user_id == user.id)) == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"current_password": "wrong", "new_password": NEW}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "weak"}, "new_password"),
        ({"current_password": PASSWORD, "new_password": "onlyletters"}, "new_password"),
        ({"current_password": 5, "new_password": None}, "current_password"),
    ],
)
def test_api_change_refusals_are_422_beside_the_field(app, api, make_user, body, field):
    user = make_user()
    api.login(user)
    response = api.post("/api/v1/me/password", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert api.get("/api/v1/me").status_code == 200
    assert _token(app, user, PASSWORD)


def test_api_change_needs_a_token_and_a_json_object(api, make_user):
    body = {"current_password": PASSWORD, "new_password": NEW}
    assert api.post("/api/v1/me/password", json=body).status_code == 401
    assert api.post("/api/v1/auth/logout").status_code == 401
    api.login(make_user())
    response = api.client.post("/api/v1/me/password", data=b"[1]", content_type="application/json", headers=api.headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "data, field",
    [
        ({"current_password": "wrong", "new_password": NEW, "confirm": NEW}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "weak", "confirm": "weak"}, "new_password"),
        ({"current_password": PASSWORD, "new_password": NEW, "confirm": NEW + "x"}, "confirm"),
    ],
)
def test_page_change_refusals_show_beside_the_field(app, make_user, data, field):
    user = make_user()
    client = _page_client(app, user)
    response = client.post("/me/password", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _logged_in(client)
    assert _token(app, user, PASSWORD)


def test_the_account_page_links_to_the_change(app, make_user):
    client = _page_client(app, make_user())
    assert 'href="/me/password"' in client.get("/me/data").get_data(as_text=True)
    assert client.get("/me/password").status_code == 200
    assert app.test_client().get("/me/password").status_code == 302


def test_change_password_service_keeps_the_named_token(make_user):
    from app.auth import sessions
    from app.auth.tokens import issue_api_token, user_for_api_token

    user = make_user()
    kept, dropped = issue_api_token(user, 1), issue_api_token(user, 1)
    stamp = user.session_stamp
    with pytest.raises(ValidationFailed) as caught:
        sessions.change_password(user, "wrong", "weak")
    assert set(caught.value.fields) == {"current_password", "new_password"}
    sessions.change_password(user, PASSWORD, NEW, keep_token=kept)
    assert user_for_api_token(kept) == user and user_for_api_token(dropped) is None
    assert user.session_stamp != stamp
    assert db.session.get(User, user.id).get_id() == f"{user.id}:{user.session_stamp}"
