"""registration questions and answers; an emergency contact's name and phone apart

Revision ID: d7f3b9a1c5e2
Revises: c4e8a1f2d6b3
Create Date: 2026-12-02 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d7f3b9a1c5e2"
down_revision = "c4e8a1f2d6b3"
branch_labels = None
depends_on = None

# The kinds as they are at this revision; later revisions change them, not this list.
KINDS = ("text", "long_text", "choice", "multi", "yes_no")


def upgrade():
    op.create_table(
        "event_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("label_zh", sa.String(length=300), nullable=False),
        sa.Column("label_en", sa.String(length=300), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.CheckConstraint(f"kind IN ({', '.join(map(repr, KINDS))})", name=op.f("ck_event_questions_kind_known")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_questions_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_questions")),
    )
    op.create_index(op.f("ix_event_questions_event_id"), "event_questions", ["event_id"])
    op.create_table(
        "registration_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["event_questions.id"],
            name=op.f("fk_registration_answers_question_id_event_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_registration_answers_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_answers")),
        sa.UniqueConstraint("registration_id", "question_id", name="uq_registration_answers_one"),
    )
    op.create_index(op.f("ix_registration_answers_question_id"), "registration_answers", ["question_id"])
    op.create_index(op.f("ix_registration_answers_registration_id"), "registration_answers", ["registration_id"])
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("emergency_contact_name", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("emergency_contact_phone", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("emergency_contact_phone")
        batch.drop_column("emergency_contact_name")
    op.drop_index(op.f("ix_registration_answers_registration_id"), table_name="registration_answers")
    op.drop_index(op.f("ix_registration_answers_question_id"), table_name="registration_answers")
    op.drop_table("registration_answers")
    op.drop_index(op.f("ix_event_questions_event_id"), table_name="event_questions")
    op.drop_table("event_questions")
