"""user.language: the interface language a person chose (nb, nn or en)

Rolling upgrade: add. New columns or a new table with defaults; the running version ignores them.

Revision ID: 0038_user_language
Revises: 0037_audit_object
Create Date: 2026-12-01 13:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0038_user_language"
down_revision = "0037_audit_object"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE: a batch copy of "user" would trip the foreign keys that point at it on SQLite.
    op.add_column("user", sa.Column("language", sa.String(length=2), nullable=True))


def downgrade():
    op.drop_column("user", "language")
