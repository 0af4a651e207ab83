"""audit_event: an index on (object_type, object_id, seq) for one object's history and its state on a day

Rolling upgrade: add. An index only.

Revision ID: 0037_audit_object
Revises: 0036_audit_action
Create Date: 2026-12-01 12:00:00

"""
from alembic import op

revision = "0037_audit_object"
down_revision = "0036_audit_action"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_object", ["object_type", "object_id", "seq"])


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_object")
