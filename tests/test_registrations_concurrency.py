"""A hundred threads, each with its own connection, rush twenty places."""

from __future__ import annotations

import pytest
from events_factories import published
from racing import race

from app.events import places
from app.events import registrations as regs
from app.extensions import db
from app.models import Registration, User

pytestmark = pytest.mark.concurrency


def test_hundred_threads_twenty_places(app, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event_id = published(organiser, capacity=20).id
    user_ids = [make_user(district="liwan" if n % 2 else "nanhai").id for n in range(100)]
    db.session.commit()

    def attempt(n: int):
        user = db.session.get(User, user_ids[n])

        def sign_up():
            registration = regs.register(user, event_id, {"consent": True})
            return registration.status, registration.position

        return sign_up

    results = race(app, [lambda n=n: attempt(n) for n in range(100)])
    outcomes = [status for status, _position in results]
    answered = [position for _status, position in results if position is not None]
    assert outcomes.count("confirmed") == 20 and outcomes.count("waitlisted") == 80
    assert sorted(answered) == list(range(1, 81))  # the positions told to each sign-up are exact
    db.session.expire_all()
    rows = db.session.scalars(db.select(Registration).where(Registration.event_id == event_id)).all()
    assert sum(r.places for r in rows if r.status == "confirmed") == 20
    positions = sorted(places.waitlist_position(r) for r in rows if r.status == "waitlisted")
    assert positions == list(range(1, 81))


def test_rush_onto_a_waiting_list_while_places_are_freed(app, make_user):
    """Sign-ups joining a waiting list race cancellations that promote: the event stays exactly full
    and the waiting list keeps one order."""
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, capacity=10)
    holders = [regs.register(make_user(), event.id, {"consent": True}) for _ in range(10)]
    for _ in range(3):
        regs.register(make_user(), event.id, {"consent": True})
    db.session.commit()
    event_id, holder_ids = event.id, [r.id for r in holders[:6]]
    newcomer_ids = [make_user().id for _ in range(40)]
    db.session.commit()  # reading the ids began a transaction: end it before the threads start

    def cancel(registration_id: int):
        holder = db.session.get(Registration, registration_id).user
        return lambda: regs.cancel_registration(db.session.get(Registration, registration_id), holder).status

    def sign_up(user_id: int):
        newcomer = db.session.get(User, user_id)
        return lambda: regs.register(newcomer, event_id, {"consent": True}).status

    jobs = [lambda i=i: cancel(i) for i in holder_ids] + [lambda i=i: sign_up(i) for i in newcomer_ids]
    outcomes = race(app, jobs)
    assert outcomes.count("cancelled") == 6
    assert outcomes.count("waitlisted") + outcomes.count("confirmed") + outcomes.count("conflict") == 40
    db.session.expire_all()
    rows = db.session.scalars(db.select(Registration).where(Registration.event_id == event_id)).all()
    assert sum(r.places for r in rows if r.status == "confirmed") == 10
    waiting = [r for r in rows if r.status == "waitlisted"]
    assert sorted(places.waitlist_position(r) for r in waiting) == list(range(1, len(waiting) + 1))
    confirmed_at = sorted((r.waitlisted_at, r.id) for r in rows if r.status == "confirmed" and r.waitlisted_at)
    assert max(confirmed_at) < min((r.waitlisted_at, r.id) for r in waiting)  # promoted strictly in order
