"""contribution: the due date of its invoice and when the one reminder of an unpaid invoice was sent

Lines invoiced before this revision get the due date of the default rule (the invoice date plus 30 days).

Rolling upgrade: add. New nullable columns, filled for the lines already invoiced; a line the version before it
invoices meanwhile gets no due date.

Revision ID: 0023_invoicing
Revises: 0022_cost_keys
Create Date: 2026-11-30 12:30:00

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa

revision = "0023_invoicing"
down_revision = "0022_cost_keys"
branch_labels = None
depends_on = None

DEFAULT_DUE_DAYS = 30


def upgrade():
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(), nullable=True))
    contribution = sa.table("contribution", sa.column("id", sa.Integer()), sa.column("invoiced_on", sa.Date()),
                            sa.column("due_on", sa.Date()))
    bind = op.get_bind()
    for line_id, invoiced_on in bind.execute(sa.select(contribution.c.id, contribution.c.invoiced_on).where(
            contribution.c.invoiced_on.is_not(None))).all():
        bind.execute(contribution.update().where(contribution.c.id == line_id)
                     .values(due_on=invoiced_on + timedelta(days=DEFAULT_DUE_DAYS)))


def downgrade():
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("due_on")
