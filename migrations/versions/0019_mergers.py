"""mergers: the merger record (successor, first day, the continued case, applied or not) and the agreement version
a merger makes, which continues the signed original

Rolling upgrade: add. A new table and a new nullable column.

Revision ID: 0019_mergers
Revises: 0018_organisation_register
Create Date: 2026-11-30 11:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0019_mergers"
down_revision = "0018_organisation_register"
branch_labels = None
depends_on = None


def upgrade():
    _foreign_keys_off(op.get_bind())
    op.create_table(
        "merger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("continued_case_id", sa.Integer(), nullable=True),
        sa.Column("continued_from_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["successor_id"], ["organisation.id"],
                                name=op.f("fk_merger_successor_id_organisation")),
        sa.ForeignKeyConstraint(["continued_case_id"], ["membership_case.id"],
                                name=op.f("fk_merger_continued_case_id_membership_case")),
        sa.ForeignKeyConstraint(["continued_from_id"], ["organisation.id"],
                                name=op.f("fk_merger_continued_from_id_organisation")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_merger_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merger")),
    )
    op.create_index(op.f("ix_merger_successor_id"), "merger", ["successor_id"])
    with op.batch_alter_table("agreement") as batch_op:
        batch_op.add_column(sa.Column("continues_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_agreement_continues_id_agreement"), "agreement",
                                    ["continues_id"], ["id"])


def downgrade():
    _foreign_keys_off(op.get_bind())
    with op.batch_alter_table("agreement") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_agreement_continues_id_agreement"), type_="foreignkey")
        batch_op.drop_column("continues_id")
    op.drop_index(op.f("ix_merger_successor_id"), table_name="merger")
    op.drop_table("merger")


def _foreign_keys_off(connection):
    """SQLite copies `agreement` to add its column, and dropping the old table would fail on the rows pointing at
    it (see 0018; migrations/env.py turns foreign keys on again when the revisions are done)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
