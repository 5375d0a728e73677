"""A hundred threads, each with its own connection, rush twenty places."""

from __future__ import annotations

import threading

import pytest
from events_factories import published

from app.errors.domain import DomainError
from app.events import registrations as regs
from app.extensions import db
from app.models import Registration, User

pytestmark = pytest.mark.concurrency


def test_hundred_threads_twenty_places(app, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event_id = published(organiser, capacity=20).id
    user_ids = [make_user(district="liwan" if n % 2 else "nanhai").id for n in range(100)]
    db.session.commit()
    barrier = threading.Barrier(100)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        with app.app_context():
            user = db.session.get(User, user_ids[n])
            db.session.rollback()
            barrier.wait()
            try:
                outcome = regs.register(user, event_id, {"consent": True}).status
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                outcome = error.code
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert outcomes.count("confirmed") == 20 and outcomes.count("waitlisted") == 80
    db.session.expire_all()
    rows = db.session.scalars(db.select(Registration).where(Registration.event_id == event_id)).all()
    assert sum(r.places for r in rows if r.status == "confirmed") == 20
    positions = sorted(regs.waitlist_position(r) for r in rows if r.status == "waitlisted")
    assert positions == list(range(1, 81))
