"""rendered_pdf: each document's PDF, kept with the fingerprint of the HTML it was made from

Rolling upgrade: add. A new table only.

Revision ID: 0015_rendered_pdfs
Revises: 0014_rate_limits
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0015_rendered_pdfs"
down_revision = "0014_rate_limits"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rendered_pdf",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "object_id", name=op.f("pk_rendered_pdf")),
    )


def downgrade():
    op.drop_table("rendered_pdf")
