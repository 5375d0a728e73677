"""Changes to rooms, opening hours and closures, and account deletions, are audited with their actor."""

from __future__ import annotations

from datetime import timedelta

from app import audit
from app.extensions import db
from app.homes import services
from app.models import AuditEntry
from app.timezones import now_utc


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def test_room_hours_and_closure_changes_are_audited(homes, make_user):
    organiser = make_user(role="organiser", district="liwan")
    home = homes["liwan"]
    room = services.create_room(organiser, home, {"name": "新会议室", "capacity": 10})
    services.update_room(organiser, room, {"name": "新会议室", "capacity": 12})
    services.update_opening_hours(organiser, home, {"mon": ["09:00", "18:00"]})
    start = now_utc() + timedelta(days=3)
    closure = services.add_closure(organiser, home, start, start + timedelta(hours=2), "检修")
    services.delete_closure(organiser, closure)
    for action in ("room_created", "room_updated", "opening_hours_changed", "closure_added", "closure_deleted"):
        (entry,) = _entries(action)
        assert entry.actor_id == organiser.id and entry.district == "liwan", action
    assert '"capacity": 12' in _entries("room_updated")[0].detail


def test_a_proxy_is_recorded_as_the_object_it_stands_for(app, make_user):
    from werkzeug.local import LocalProxy

    user = make_user()
    entry = audit.record(LocalProxy(lambda: user), "account_deleted", LocalProxy(lambda: user))
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("user", user.id, user.id)
