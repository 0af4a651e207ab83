"""The agreement in two texts: agreement_template.text_nn/sha256_nn (nynorsk), agreement.language (the text issued)
and signature.language/text_sha256 (the text signed); what exists is bokmål

Rolling upgrade: add. New columns or a new table with defaults; the running version ignores them.

Revision ID: 0039_agreement_texts
Revises: 0038_user_language
Create Date: 2026-12-01 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0039_agreement_texts"
down_revision = "0038_user_language"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE: a batch copy of "agreement" would trip the foreign keys that point at it on SQLite.
    op.add_column("agreement_template", sa.Column("text_nn", sa.Text(), nullable=True))
    op.add_column("agreement_template", sa.Column("sha256_nn", sa.String(length=64), nullable=True))
    op.add_column("agreement", sa.Column("language", sa.String(length=2), nullable=False, server_default="nb"))
    op.add_column("signature", sa.Column("language", sa.String(length=2), nullable=False, server_default="nb"))
    op.add_column("signature", sa.Column("text_sha256", sa.String(length=64), nullable=True))
    op.execute("UPDATE signature SET text_sha256 = (SELECT agreement.template_hash FROM agreement "
               "WHERE agreement.id = signature.agreement_id) WHERE agreement_id IS NOT NULL")


def downgrade():
    op.drop_column("signature", "text_sha256")
    op.drop_column("signature", "language")
    op.drop_column("agreement", "language")
    op.drop_column("agreement_template", "sha256_nn")
    op.drop_column("agreement_template", "text_nn")
