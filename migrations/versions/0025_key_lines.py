"""contribution: a line may bill a party's share under the cost-sharing key instead of a membership's agreement

Rolling upgrade: change. contribution.case_id may be empty; the version before it fails on a line billed under the
cost-sharing key, which only the new version writes. Upgrade every server before a key's lines are made.

Revision ID: 0025_key_lines
Revises: 0024_annual_reports
Create Date: 2026-11-30 13:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0025_key_lines"
down_revision = "0024_annual_reports"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("cost_key_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_contribution_cost_key_id", ["cost_key_id"])
        batch_op.create_foreign_key("fk_contribution_cost_key_id_cost_key", "cost_key", ["cost_key_id"], ["id"])


def downgrade():
    op.execute("DELETE FROM contribution WHERE case_id IS NULL")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_constraint("fk_contribution_cost_key_id_cost_key", type_="foreignkey")
        batch_op.drop_index("ix_contribution_cost_key_id")
        batch_op.drop_column("cost_key_id")
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
