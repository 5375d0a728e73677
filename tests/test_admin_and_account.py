"""Roles, the audit log, password reset and renewed consent."""

import re

import pytest

from app.account import reset
from app.admin import services as admin_services
from app.auth import credentials
from app.auth import services as auth_services
from app.errors.domain import NotPermitted, RuleViolation, ValidationFailed
from app.extensions import db
from app.models import AuditEntry, Notification, User


def test_admin_changes_role_and_it_is_audited(make_user):
    admin, user = make_user(role="admin", district=None), make_user()
    admin_services.change_role(admin, user, "organiser", "nanhai")
    assert (user.role, user.district) == ("organiser", "nanhai")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "role_changed"))
    assert entry.actor_id == admin.id and entry.object_id == user.id and '"talent"' in entry.detail


@pytest.mark.parametrize(
    "role, district, field", [("organiser", None, "district"), ("boss", None, "role"), ("talent", "tianhe", "district")]
)
def test_bad_role_change_is_refused(make_user, role, district, field):
    admin, user = make_user(role="admin", district=None), make_user()
    with pytest.raises(ValidationFailed) as caught:
        admin_services.change_role(admin, user, role, district)
    assert field in caught.value.fields and user.role == "talent"


def test_only_admins_change_roles_page_and_service(make_user, client, login):
    organiser, user = make_user(role="organiser"), make_user()
    with pytest.raises(NotPermitted):
        admin_services.change_role(organiser, user, "admin", None)
    login(organiser)
    assert client.post(f"/admin/users/{user.id}/role", data={"role": "admin"}).status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert db.session.get(User, user.id).role == "talent"


def test_organisers_read_only_their_districts_audit_entries(make_user, client, login):
    liwan, nanhai = make_user(role="organiser", district="liwan"), make_user(role="organiser", district="nanhai")
    pending = make_user(verified=False, district="nanhai")
    credentials.verify_credential(nanhai, pending)
    db.session.commit()
    assert admin_services.audit_entries(liwan) == []
    assert [e.action for e in admin_services.audit_entries(nanhai)] == ["credential_verified"]
    login(liwan)
    assert "<td>credential_verified</td>" not in client.get("/admin/audit").get_data(as_text=True)


def test_talent_cannot_read_audit_log(make_user, client, login):
    login(make_user())
    assert client.get("/admin/audit").status_code == 403


def _reset_link() -> str:
    message = db.session.scalar(db.select(Notification).where(Notification.kind == "password_reset"))
    return re.search(r"/password/reset/\S+", message.body_text).group(0)


def test_password_reset_is_single_use(make_user, api, client):
    user = make_user()
    assert api.post("/api/v1/auth/password-reset", json={"email": user.email.upper()}).status_code == 202
    link = _reset_link()
    response = client.post(link, data={"password": "NewSecret99"})
    assert response.status_code == 302
    assert auth_services.authenticate(user.email, "NewSecret99") is not None
    again = client.post(link, data={"password": "Another99x"}, follow_redirects=False)
    assert again.status_code == 302 and "/password/forgot" in again.headers["Location"]
    assert auth_services.authenticate(user.email, "Another99x") is None


def test_password_reset_does_not_reveal_accounts(api):
    response = api.post("/api/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert response.status_code == 202
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_reset_token_expires_after_an_hour(make_user, monkeypatch):
    user = make_user()
    token = reset.make_reset_token(user)
    monkeypatch.setattr(reset, "MAX_AGE_SECONDS", -1)
    with pytest.raises(RuleViolation) as caught:
        reset.user_for_reset_token(token)
    assert caught.value.code == "token_expired"


def test_weak_new_password_is_refused(make_user):
    user = make_user()
    with pytest.raises(ValidationFailed):
        reset.reset_password(reset.make_reset_token(user), "short")


def test_changed_privacy_notice_asks_again_at_login(make_user, client, app, monkeypatch):
    user = make_user()
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2099-01")
    response = client.post("/login", data={"email": user.email, "password": "Passw0rd123"})
    assert "/consent" in response.headers["Location"]
    assert client.post("/consent", data={}).status_code == 422
    client.post("/consent", data={"consent": "y"})
    assert db.session.get(User, user.id).consent_version == "2099-01"
