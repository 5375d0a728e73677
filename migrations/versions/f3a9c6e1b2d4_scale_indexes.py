"""indexes that keep statistics flat as bookings grow: bookings by their end (the statistics of a
date range), check-ins by sign-up (attendance figures)

Revision ID: f3a9c6e1b2d4
Revises: e7b2d4a9c1f0
Create Date: 2026-12-03 06:10:00

"""

from alembic import op

revision = "f3a9c6e1b2d4"
down_revision = "e7b2d4a9c1f0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_bookings_ends_at", "bookings", ["ends_at"])
    op.create_index("ix_check_ins_registration", "check_ins", ["registration_id"])


def downgrade():
    op.drop_index("ix_check_ins_registration", table_name="check_ins")
    op.drop_index("ix_bookings_ends_at", table_name="bookings")
