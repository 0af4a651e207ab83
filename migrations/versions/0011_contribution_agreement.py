"""each contribution line names the agreement whose terms it bills

Rolling upgrade: add. A new nullable column, filled for existing lines; a line the version before it adds meanwhile
names no agreement.

Revision ID: 0011_contribution_agreement
Revises: 0010_search_keys
Create Date: 2026-11-24 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0011_contribution_agreement"
down_revision = "0010_search_keys"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contribution") as batch_op:
        batch_op.add_column(sa.Column("agreement_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_contribution_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_contribution_agreement_id_agreement"), "agreement",
                                    ["agreement_id"], ["id"])
    # Existing lines: the case's newest agreement whose contribution period holds the year, else its current one.
    contribution = sa.table("contribution", sa.column("case_id", sa.Integer), sa.column("year", sa.Integer),
                            sa.column("agreement_id", sa.Integer))
    agreement = sa.table("agreement", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
                         sa.column("contribution_from", sa.Integer), sa.column("contribution_to", sa.Integer),
                         sa.column("superseded_at", sa.DateTime))
    of_case = agreement.c.case_id == contribution.c.case_id
    covering = sa.select(agreement.c.id).where(
        of_case, agreement.c.contribution_from <= contribution.c.year, contribution.c.year <= agreement.c.contribution_to)
    current = sa.select(agreement.c.id).where(of_case, agreement.c.superseded_at.is_(None))
    op.execute(contribution.update().values(agreement_id=sa.func.coalesce(
        covering.order_by(agreement.c.id.desc()).limit(1).scalar_subquery(),
        current.order_by(agreement.c.id.desc()).limit(1).scalar_subquery())))


def downgrade():
    with op.batch_alter_table("contribution") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contribution_agreement_id_agreement"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_contribution_agreement_id"))
        batch_op.drop_column("agreement_id")
