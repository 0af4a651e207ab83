"""stored_document: each download kept with the content version it was made at; content_version counts changes

Rolling upgrade: add. New tables only.

Revision ID: 0026_documents
Revises: 0025_key_lines
Create Date: 2026-11-30 14:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0026_documents"
down_revision = "0025_key_lines"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_document",
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_stored_document")),
    )
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
    )


def downgrade():
    op.drop_table("content_version")
    op.drop_table("stored_document")
