"""Retention of children's data, security headers and cookies."""

from datetime import date, timedelta

from app.extensions import db
from app.models import Event, EventSession, Participant, Registration
from app.timezones import now_utc


def _camp(user, ended_days_ago: int) -> Registration:
    end = now_utc() - timedelta(days=ended_days_ago)
    event = Event(
        kind="youth_camp",
        title=f"营 {ended_days_ago}",
        host="liwan",
        status="completed",
        starts_at=end - timedelta(days=2),
        ends_at=end,
        capacity=10,
    )
    event.sessions = [EventSession(starts_at=end - timedelta(days=2), ends_at=end)]
    registration = Registration(
        event=event,
        user_id=user.id,
        for_children=True,
        status="confirmed",
        places=1,
        district="liwan",
        check_in_code=f"C{ended_days_ago:07d}",
    )
    registration.participants = [
        Participant(
            name="小红",
            birth_date=date(2014, 1, 1),
            guardian_relation="母亲",
            emergency_contact="139",
            health_notes="花粉过敏",
        )
    ]
    db.session.add(registration)
    db.session.commit()
    return registration


def test_purge_erases_only_old_events_and_is_repeatable(runner, make_user):
    user = make_user()
    old, recent = _camp(user, ended_days_ago=181), _camp(user, ended_days_ago=179)
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0 and "erased the details of 1 " in result.output
    db.session.expire_all()
    purged = db.session.get(Registration, old.id).participants[0]
    kept = db.session.get(Registration, recent.id).participants[0]
    assert (purged.name, purged.birth_date, purged.emergency_contact, purged.health_notes) == (None, None, None, None)
    assert purged.purged_at is not None and db.session.get(Registration, old.id).places == 1
    assert kept.name == "小红" and kept.health_notes == "花粉过敏"
    assert "erased the details of 0 " in runner.invoke(args=["purge-personal-data"]).output


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/homes", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "Passw0rd123"})
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_config_makes_cookies_secure(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("SECRET_KEY", "production-secret")
    reloaded = importlib.reload(config)
    try:
        assert reloaded.Config.SESSION_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("SECRET_KEY")
        importlib.reload(config)
