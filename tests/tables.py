"""Emptying the database between tests: every table, in an order the foreign keys allow."""

from __future__ import annotations

from sqlalchemy import text

from app.extensions import db


def wipe() -> None:
    db.session.rollback()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            db.session.execute(text(f'DELETE FROM "{name}"'))
    db.session.commit()
