"""holiday overrides: administrators' public holidays and make-up working days over the package's

Revision ID: f3c9a7e1b5d8
Revises: f3a9c6e1b2d4
Create Date: 2026-12-03 06:10:00

"""

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision = "f3c9a7e1b5d8"
down_revision = "f3a9c6e1b2d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "holiday_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name_zh", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=60), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f("ck_holiday_overrides_kind_known")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_holiday_overrides_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_overrides")),
        sa.UniqueConstraint("day", name=op.f("uq_holiday_overrides_day")),
    )


def downgrade():
    op.drop_table("holiday_overrides")
