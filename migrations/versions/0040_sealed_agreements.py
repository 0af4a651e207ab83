"""sealed_agreement: the sealed PDF (PAdES) of each fully signed agreement version

Rolling upgrade: add. New columns or a new table with defaults; the running version ignores them.

Revision ID: 0040_sealed_agreements
Revises: 0039_agreement_texts
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0040_sealed_agreements"
down_revision = "0039_agreement_texts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sealed_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("signed_sha256", sa.String(length=64), nullable=False),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreement.id"],
                                name=op.f("fk_sealed_agreement_agreement_id_agreement")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sealed_agreement")),
        sa.UniqueConstraint("agreement_id", name=op.f("uq_sealed_agreement_agreement_id")),
        sa.UniqueConstraint("signed_sha256", name=op.f("uq_sealed_agreement_signed_sha256")),
    )
    op.create_index(op.f("ix_sealed_agreement_certificate_sha256"), "sealed_agreement", ["certificate_sha256"])


def downgrade():
    op.drop_index(op.f("ix_sealed_agreement_certificate_sha256"), table_name="sealed_agreement")
    op.drop_table("sealed_agreement")
