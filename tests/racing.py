"""Threads that race on one database: each with its own connection, all acting at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.errors.domain import DomainError
from app.extensions import db


def race(app, jobs: list[Callable[[], Callable[[], object]]], timeout: float = 180) -> list[object]:
    """Run each job in a thread of its own: `job()` loads what it needs and returns the action, and
    the actions start together from fresh transactions. Returns, per job and in order, what its
    action returned (read before the commit) or the code of the DomainError it raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def run(index: int) -> None:
        with app.app_context():
            act = jobs[index]()
            db.session.rollback()  # start the race from a fresh transaction
            barrier.wait()
            try:
                outcomes[index] = act()
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                outcomes[index] = error.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
