"""session stamps: a per-user value in every session and remember cookie, renewed to end them

Existing accounts get a random stamp each. Cookies made before this revision carry no stamp, so
everyone logs in once more after the upgrade.

Revision ID: 5b7e3f1c9a2d
Revises: 3820006d9dad
Create Date: 2026-12-02 09:00:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "5b7e3f1c9a2d"
down_revision = "3820006d9dad"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: batch mode would rebuild `users` on SQLite, and with foreign keys on,
    # dropping the old table would cascade into every table that references it.
    op.add_column("users", sa.Column("session_stamp", sa.String(length=32), server_default="", nullable=False))
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_stamp", sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(users.update().where(users.c.id == user_id).values(session_stamp=secrets.token_hex(16)))


def downgrade():
    op.drop_column("users", "session_stamp")
