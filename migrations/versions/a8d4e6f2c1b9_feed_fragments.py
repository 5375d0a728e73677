"""feed fragments: each feed entry's VEVENT text, rendered once per change

Revision ID: a8d4e6f2c1b9
Revises: f3a9c2e7b1d4
Create Date: 2026-12-03 06:10:00

Rows are filled in by the changes that follow, and a feed renders (and stores) any entry it finds
missing, so existing data needs no backfill here.
"""

import sqlalchemy as sa
from alembic import op

revision = "a8d4e6f2c1b9"
down_revision = "f3a9c2e7b1d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_fragments",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=8), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("base", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "object_id", "variant", name="pk_feed_fragments"),
    )
    op.create_index("ix_feed_fragments_event_id", "feed_fragments", ["event_id"])


def downgrade():
    op.drop_index("ix_feed_fragments_event_id", table_name="feed_fragments")
    op.drop_table("feed_fragments")
