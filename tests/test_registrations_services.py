"""Sign-up rules: window edges, quotas, promotion order, families, ages on the first day."""

from datetime import date, timedelta

import pytest
from events_factories import ahead, published, sign

from app.errors.domain import Conflict, NotPermitted, RuleViolation
from app.events import places, services
from app.events import registrations as regs
from app.extensions import db
from app.models import Notification
from app.timezones import now_utc


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


@pytest.mark.parametrize("offset, allowed", [(-1, False), (0, True), (1, True)])
def test_registration_opens_exactly_at_its_time(make_user, organiser, offset, allowed):
    event = published(organiser)
    opens = now_utc() + timedelta(hours=1)
    event.registration_opens_at = opens
    db.session.commit()
    moment = opens + timedelta(seconds=offset)
    if allowed:
        assert regs.register(make_user(), event.id, {"consent": True}, now=moment).status == "confirmed"
    else:
        with pytest.raises(RuleViolation) as caught:
            regs.register(make_user(), event.id, {"consent": True}, now=moment)
        assert caught.value.code == "registration_closed"


def test_registration_closes_exactly_at_its_time(make_user, organiser):
    event = published(organiser)
    closes = event.registration_closes_at
    assert regs.register(make_user(), event.id, {"consent": True}, now=closes - timedelta(seconds=1))
    with pytest.raises(RuleViolation):
        regs.register(make_user(), event.id, {"consent": True}, now=closes)


def test_drafts_and_cancelled_events_take_no_sign_ups(make_user, organiser):
    event = published(organiser)
    services.cancel_event(organiser, event.id)
    with pytest.raises(RuleViolation):
        regs.register(make_user(), event.id, {"consent": True})


def test_promotion_is_first_come_first_served(make_user, organiser):
    event = published(organiser, capacity=1)
    holder = sign(make_user(), event)
    first, second = sign(make_user(), event), sign(make_user(), event)
    assert (places.waitlist_position(first), places.waitlist_position(second)) == (1, 2)
    regs.cancel_registration(holder, holder.user)
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    assert places.waitlist_position(second) == 1


def test_a_family_that_does_not_fit_keeps_its_turn(make_user, organiser):
    event = published(organiser, kind="youth_camp", min_age=6, max_age=15, capacity=2)
    born = (date.fromisoformat(ahead(7)[:10]) - timedelta(days=365 * 10)).isoformat()
    child = {"name": "甲", "birth_date": born, "guardian_relation": "母亲", "emergency_contact": "139"}
    single = sign(make_user(), event, participant=child)
    family = sign(make_user(), event, participants=[{**child, "name": "乙"}, {**child, "name": "丙"}])
    later = sign(make_user(), event, participant={**child, "name": "丁"})
    assert (single.status, family.status, later.status) == ("confirmed", "waitlisted", "waitlisted")
    assert family.places == 2 and len(family.participants) == 2
    regs.cancel_registration(single, single.user)
    assert (family.status, later.status) == ("confirmed", "waitlisted")


def test_same_child_twice_is_already_registered(make_user, organiser):
    event = published(organiser, kind="youth_camp", min_age=6, max_age=15, capacity=5)
    born = (date.fromisoformat(ahead(7)[:10]) - timedelta(days=365 * 9)).isoformat()
    child = {"name": "甲", "birth_date": born, "guardian_relation": "母亲", "emergency_contact": "139"}
    guardian = make_user()
    sign(guardian, event, participant=child)
    with pytest.raises(Conflict) as caught:
        regs.register(guardian, event.id, {"consent": True, "participant": child})
    assert caught.value.code == "already_registered"


@pytest.mark.parametrize("years, ok", [(8, True), (14, True), (15, False), (7, False)])
def test_age_counts_on_the_first_day(make_user, organiser, years, ok):
    event = published(organiser, kind="youth_camp", min_age=8, max_age=14, capacity=5)
    first_day = date.fromisoformat(ahead(7)[:10])
    birthday_on_first_day = first_day.replace(year=first_day.year - years)
    child = {
        "name": "甲",
        "birth_date": birthday_on_first_day.isoformat(),
        "guardian_relation": "父亲",
        "emergency_contact": "138",
    }
    if ok:
        assert sign(make_user(), event, participant=child).status == "confirmed"
    else:
        with pytest.raises(RuleViolation) as caught:
            regs.register(make_user(), event.id, {"consent": True, "participant": child})
        assert caught.value.code == "age_out_of_range"


def test_a_day_before_the_birthday_is_still_the_younger_age(make_user, organiser):
    event = published(organiser, kind="youth_camp", min_age=8, max_age=14, capacity=5)
    first_day = date.fromisoformat(ahead(7)[:10])
    born = first_day.replace(year=first_day.year - 8) + timedelta(days=1)
    child = {"name": "甲", "birth_date": born.isoformat(), "guardian_relation": "父亲", "emergency_contact": "1"}
    with pytest.raises(RuleViolation):
        regs.register(make_user(), event.id, {"consent": True, "participant": child})


def test_district_quota_makes_that_district_wait(make_user, organiser):
    event = published(organiser, host="joint", capacity=3, quota={"liwan": 1, "nanhai": 2})
    liwan_first = sign(make_user(district="liwan"), event)
    liwan_second = sign(make_user(district="liwan"), event)
    nanhai = sign(make_user(district="nanhai"), event)
    assert (liwan_first.status, liwan_second.status, nanhai.status) == ("confirmed", "waitlisted", "confirmed")
    assert places.confirmed_places(event.id, "nanhai") == 1
    regs.cancel_registration(nanhai, nanhai.user)
    assert liwan_second.status == "waitlisted"  # a free Nanhai place is not a Liwan place
    regs.cancel_registration(liwan_first, liwan_first.user)
    assert liwan_second.status == "confirmed"


def test_capacity_raise_promotes_and_cut_below_taken_is_refused(make_user, organiser):
    event = published(organiser, capacity=1)
    sign(make_user(), event)
    waiting = sign(make_user(), event)
    services.update_event(organiser, event.id, {"capacity": 2})
    assert waiting.status == "confirmed"
    with pytest.raises(RuleViolation):
        services.update_event(organiser, event.id, {"capacity": 1})


def test_promote_by_hand_jumps_the_queue_but_not_the_capacity(make_user, organiser):
    event = published(organiser, capacity=1)
    holder = sign(make_user(), event)
    first, second = sign(make_user(), event), sign(make_user(), event)
    with pytest.raises(RuleViolation):
        regs.promote_by_hand(organiser, second.id)
    regs.cancel_registration(holder, organiser)
    regs.cancel_registration(first, first.user)
    assert second.status == "confirmed"
    with pytest.raises(NotPermitted):
        regs.roster(make_user(), event.id)


def _subjects(user) -> list[str]:
    return list(db.session.scalars(db.select(Notification.subject).where(Notification.user_id == user.id)))


def test_the_message_written_before_the_lock_is_written_again_when_the_event_changed_meanwhile(
    make_user, organiser, monkeypatch
):
    event = published(organiser, capacity=1, title="Walk")
    first, second = make_user(locale="en"), make_user(locale="en")
    sign(first, event)
    assert _subjects(first) == ["Your place is confirmed: Walk"]

    locking = regs.lock_for_sign_up

    def renamed_meanwhile(locked):
        table = locked.__table__
        db.session.execute(
            table.update().where(table.c.id == locked.id).values(title="River walk", updated_at=now_utc())
        )
        locking(locked)

    monkeypatch.setattr(regs, "lock_for_sign_up", renamed_meanwhile)
    sign(second, event)
    assert _subjects(second) == ["You are on the waiting list: River walk"]


def test_a_sign_up_and_its_message_are_written_in_one_statement_on_postgresql(make_user, organiser):
    """The entry and its message go to the database together (one round trip on PostgreSQL, under
    the event's lock); both are stored in full, times in UTC."""
    from sqlalchemy import event as sa_event

    from app.models import Registration

    event = published(organiser, capacity=1, title="Walk")
    sign(make_user(), event)
    talent = make_user(locale="en")
    inserts = []
    listen = lambda *args: inserts.append(args[2]) if "INSERT" in args[2] else None  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        made = regs.register(talent, event.id, {"consent": True})
        db.session.commit()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    postgresql = db.engine.dialect.name == "postgresql"
    assert len(inserts) == (1 if postgresql else 2)
    if postgresql:
        assert inserts[0].startswith("WITH along_1 AS") and "INSERT INTO notifications" in inserts[0]
    db.session.expire_all()
    stored = db.session.get(Registration, made.id)
    message = db.session.scalar(db.select(Notification).where(Notification.user_id == talent.id))
    assert (stored.status, stored.user_id, stored.check_in_code) == ("waitlisted", talent.id, made.check_in_code)
    assert stored.waitlisted_at.utcoffset() == timedelta(0) and stored.waitlisted_at == made.waitlisted_at
    assert (message.kind, message.subject, message.event_id) == (
        "registration_waitlisted",
        "You are on the waiting list: Walk",
        event.id,
    )
    assert message.created_at.utcoffset() == timedelta(0) and message.status == "queued"
