"""message centre: a notice's read state and the event or booking it is about

Revision ID: e7b2d4a9c1f0
Revises: d7f3b9a1c5e2
Create Date: 2026-12-02 23:40:00

"""

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision = "e7b2d4a9c1f0"
down_revision = "d7f3b9a1c5e2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("read_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("booking_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_notifications_event_id_events", "events", ["event_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            "fk_notifications_booking_id_bookings", "bookings", ["booking_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_notifications_user_read", ["user_id", "read_at"])


def downgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("ix_notifications_user_read")
        batch.drop_constraint("fk_notifications_booking_id_bookings", type_="foreignkey")
        batch.drop_constraint("fk_notifications_event_id_events", type_="foreignkey")
        batch.drop_column("booking_id")
        batch.drop_column("event_id")
        batch.drop_column("read_at")
