"""known values: statuses, roles, kinds, hosts and purposes are CHECK constraints

A row holding any other value is refused by the database itself. On SQLite a CHECK can only be
added by rebuilding the table (batch mode); migrations/env.py turns foreign keys off around the
migrations so that rebuilding `users` or `events` does not cascade into the tables referring to them.

Revision ID: c4e8a1f2d6b3
Revises: 5b7e3f1c9a2d
Create Date: 2026-12-02 21:00:00

"""

from alembic import op

revision = "c4e8a1f2d6b3"
down_revision = "5b7e3f1c9a2d"
branch_labels = None
depends_on = None

# The values as they are at this revision; later revisions change them, not this list.
KNOWN = {
    "users": {
        "role": ("talent", "organiser", "admin"),
        "talent_status": ("none", "pending", "verified", "rejected"),
    },
    "bookings": {
        "status": ("pending", "confirmed", "rejected", "cancelled", "no_show"),
        "purpose": ("seminar", "training", "networking", "other"),
    },
    "events": {
        "status": ("draft", "published", "cancelled", "completed"),
        "kind": ("exchange", "study_tour", "youth_camp"),
        "host": ("liwan", "nanhai", "joint"),
    },
    "registrations": {"status": ("confirmed", "waitlisted", "cancelled")},
    "notifications": {"status": ("queued", "sending", "sent", "failed")},
}


def upgrade():
    for table, columns in KNOWN.items():
        with op.batch_alter_table(table) as batch:
            for column, values in columns.items():
                batch.create_check_constraint(op.f(f"ck_{table}_{column}_known"), f"{column} IN ({', '.join(map(repr, values))})")


def downgrade():
    for table, columns in reversed(KNOWN.items()):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_constraint(op.f(f"ck_{table}_{column}_known"), type_="check")
