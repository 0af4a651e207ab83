"""representative.ends_on may be empty: a party's steering-group seat is held by position, with no last day

Rolling upgrade: change. representative.ends_on may be empty; the version before it writes rows as before, but fails
on a row without a last day, which only the new version writes. Upgrade every server before anyone records a party's
seat.

Revision ID: 0021_party_seats
Revises: 0020_mailbox_links
Create Date: 2026-11-30 12:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0021_party_seats"
down_revision = "0020_mailbox_links"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("representative", schema=None) as batch_op:
        batch_op.alter_column("ends_on", existing_type=sa.Date(), nullable=True)


def downgrade():
    # The old schema needs a last day: a seat held by position ends on the day of the downgrade.
    op.execute(sa.text("UPDATE representative SET ends_on = CURRENT_DATE WHERE ends_on IS NULL"))
    with op.batch_alter_table("representative", schema=None) as batch_op:
        batch_op.alter_column("ends_on", existing_type=sa.Date(), nullable=False)
