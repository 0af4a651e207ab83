"""membership cases indexed by (organisation, round) for the latest-case lookup of the overview

Rolling upgrade: add. Indexes only.

Revision ID: 0009_case_lookup
Revises: 0008_name_keys
Create Date: 2026-11-23 19:30:00

"""
from alembic import op

revision = "0009_case_lookup"
down_revision = "0008_name_keys"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("membership_case") as batch_op:
        batch_op.drop_index("ix_membership_case_organisation_id")
        batch_op.create_index("ix_membership_case_organisation_round", ["organisation_id", "round_id"], unique=False)


def downgrade():
    with op.batch_alter_table("membership_case") as batch_op:
        batch_op.drop_index("ix_membership_case_organisation_round")
        batch_op.create_index("ix_membership_case_organisation_id", ["organisation_id"], unique=False)
