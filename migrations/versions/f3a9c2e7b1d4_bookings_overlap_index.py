"""bookings: an index on (room_id, ends_at, starts_at) for the overlap filter of every busy-time read

Revision ID: f3a9c2e7b1d4
Revises: f3c9a7e1b5d8
Create Date: 2026-12-02 06:30:00

"""

from alembic import op

revision = "f3a9c2e7b1d4"
down_revision = "f3c9a7e1b5d8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_bookings_room_end", "bookings", ["room_id", "ends_at", "starts_at"])


def downgrade():
    op.drop_index("ix_bookings_room_end", table_name="bookings")
