"""Counting an event's places and waiting list, and locking the event for a sign-up.

Every change of who holds a place locks the event row first, then counts, then writes — so no event
is ever overbooked and no two waiting entries share a position, whatever the number of server
processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy.orm.attributes import set_committed_value

from app.database import run_core
from app.errors.domain import NotFound
from app.extensions import db
from app.models import Event, Registration, User

ISSUER_DISTRICT = {"liwan_yingcai": "liwan", "nanhai_kunpeng": "nanhai", "foshan_youyue": "nanhai"}


def credential_district(user: User) -> str | None:
    """The district a talent's places count against: that of their credential's issuer."""
    return ISSUER_DISTRICT.get(user.credential_issuer or "", user.district)


def quota_for(event: Event, district: str | None) -> int | None:
    quota = event.quota
    return None if quota is None or district is None else quota.get(district)


def confirmed_places(event_id: int, district: str | None = None) -> int:
    query = db.select(db.func.coalesce(db.func.sum(Registration.places), 0)).where(
        Registration.event_id == event_id, Registration.status == "confirmed"
    )
    if district is not None:
        query = query.where(Registration.district == district)
    return int(db.session.scalar(query))


def fits(event: Event, places: int, district: str | None) -> bool:
    """Would `places` more confirmed places stay within the capacity and the district's quota?"""
    if confirmed_places(event.id) + places > event.capacity:
        return False
    limit = quota_for(event, district)
    return limit is None or confirmed_places(event.id, district) + places <= limit


def waitlist_position(registration: Registration) -> int | None:
    """1 + the waiting entries of the event ahead of this one (first come, first served)."""
    if not registration.is_waiting:
        return None
    ahead = db.session.scalar(
        db.select(db.func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == "waitlisted",
            db.or_(
                Registration.waitlisted_at < registration.waitlisted_at,
                db.and_(Registration.waitlisted_at == registration.waitlisted_at, Registration.id < registration.id),
            ),
        )
    )
    return int(ahead) + 1


@dataclass
class Occupancy:
    """An event's taken places and waiting entries, overall and in the newcomer's district."""

    confirmed: int
    waiting: int
    confirmed_in_district: int = 0
    waiting_in_district: bool = False

    def someone_waits(self, event: Event) -> bool:
        """Is anyone waiting in the newcomer's queue? With quotas each district has its own."""
        return self.waiting_in_district if event.quota is not None else self.waiting > 0


def _part(aggregate, *conditions):
    return db.select(aggregate).where(Registration.event_id == bindparam("event_id"), *conditions).scalar_subquery()


_CONFIRMED = Registration.status == "confirmed"
_WAITING = Registration.status == "waitlisted"
_IN_DISTRICT = Registration.district == bindparam("district")
_PLACES = db.func.coalesce(db.func.sum(Registration.places), 0)
# Built once, run on every sign-up: one round trip, each part seeking the (event_id, status) index,
# so the cost stays flat however long the waiting list grows.
_OCCUPANCY = db.select(_part(_PLACES, _CONFIRMED), _part(db.func.count(), _WAITING))
_OCCUPANCY_BY_DISTRICT = db.select(
    _part(_PLACES, _CONFIRMED),
    _part(db.func.count(), _WAITING),
    _part(_PLACES, _CONFIRMED, _IN_DISTRICT),
    db.exists().where(Registration.event_id == bindparam("event_id"), _WAITING, _IN_DISTRICT),
)


def occupancy(event: Event, district: str | None) -> Occupancy:
    """Counted past the session's flush (`database.run_core`): its caller, a sign-up, counts under
    the event's lock before it adds its entry, with nothing waiting to be flushed."""
    if event.quota is None:
        return Occupancy(*(int(v) for v in run_core(_OCCUPANCY, {"event_id": event.id}).one()))
    row = run_core(_OCCUPANCY_BY_DISTRICT, {"event_id": event.id, "district": district}).one()
    return Occupancy(int(row[0]), int(row[1]), int(row[2]), bool(row[3]))


def lock_for_sign_up(event: Event) -> None:
    """Lock the event for a sign-up (FOR UPDATE; SQLite's write lock) and read its row again: sign-ups
    to one event queue up here, so the `occupancy` counted next sees the places and the waiting list
    as the one before it left them, and the waiting-list position it answers is exact.

    The row's columns are read by one prebuilt statement and set on the loaded event as read from
    the database; its loaded sessions stay as they are (a plain `lock_row` would read them again)."""
    row = run_core(_LOCK_EVENT, {"event_id": event.id}).one_or_none()  # the event's own row: nothing to flush
    if row is None:
        raise NotFound(_("No such event."))
    for key, value in zip(_EVENT_COLUMNS, row, strict=True):
        set_committed_value(event, key, value)


_EVENT_COLUMNS = [attribute.key for attribute in Event.__mapper__.column_attrs]
_LOCK_EVENT = (
    db.select(*(attribute.columns[0] for attribute in Event.__mapper__.column_attrs))
    .where(Event.__table__.c.id == bindparam("event_id"))
    .with_for_update()
)


def counts(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{event_id: (confirmed places, waiting entries)} in one query."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        db.select(
            Registration.event_id,
            db.func.coalesce(
                db.func.sum(db.case((Registration.status == "confirmed", Registration.places), else_=0)), 0
            ),
            db.func.coalesce(db.func.sum(db.case((Registration.status == "waitlisted", 1), else_=0)), 0),
        )
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id)
    ).all()
    found = {row[0]: (int(row[1]), int(row[2])) for row in rows}
    return {eid: found.get(eid, (0, 0)) for eid in event_ids}
