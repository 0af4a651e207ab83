"""audit_event: an index on the action, so that the log filtered by kind of event counts its events without reading
every one

Rolling upgrade: add. An index only.

Revision ID: 0036_audit_action
Revises: 0035_oidc_identities
Create Date: 2026-11-30 17:00:00

"""
from alembic import op

revision = "0036_audit_action"
down_revision = "0035_oidc_identities"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f("ix_audit_event_action"), "audit_event", ["action"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_audit_event_action"), table_name="audit_event")
