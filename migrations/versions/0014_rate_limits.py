"""rate_limit: counters of sign-in attempts and document renders, shared by every worker and node

Sign-in attempts are counted per client address and per account and address, renders per user. This replaces the
count of failures per e-mail address in login_attempt, which stays as the record of attempts.

Rolling upgrade: add. A new table only; login_attempt stays as it was.

Revision ID: 0014_rate_limits
Revises: 0013_outbox_password_links
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0014_rate_limits"
down_revision = "0013_outbox_password_links"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Double(), nullable=False),
        sa.Column("wait", sa.Double(), nullable=False),
        sa.Column("next_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit")),
    )


def downgrade():
    op.drop_table("rate_limit")
