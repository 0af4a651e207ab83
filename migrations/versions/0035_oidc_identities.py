"""external_identity and pending_identity: sign-in with an organisation's identity provider (OpenID Connect);
outbox_message.identity_code_id: the mail that carries a first sign-in's code (made as it goes out)

Rolling upgrade: add. New tables and a new nullable column.

Revision ID: 0035_oidc_identities
Revises: 0026_documents
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0035_oidc_identities"
down_revision = "0026_documents"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "external_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_external_identity_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_identity")),
        sa.UniqueConstraint("provider", "subject", name=op.f("uq_external_identity_provider")),
    )
    op.create_index(op.f("ix_external_identity_user_id"), "external_identity", ["user_id"])
    op.create_table(
        "pending_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=True),
        sa.Column("requested_name", sa.String(length=120), nullable=True),
        sa.Column("requested_email", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_pending_identity_organisation_id_organisation"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_pending_identity_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_identity")),
        sa.UniqueConstraint("provider", "subject", name=op.f("uq_pending_identity_provider")),
    )
    op.create_index(op.f("ix_pending_identity_requested_at"), "pending_identity", ["requested_at"])
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("identity_code_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_outbox_message_identity_code_id_pending_identity"),
                                    "pending_identity", ["identity_code_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint("fk_outbox_message_identity_code_id_pending_identity", type_="foreignkey")
        batch_op.drop_column("identity_code_id")
    op.drop_index(op.f("ix_pending_identity_requested_at"), table_name="pending_identity")
    op.drop_table("pending_identity")
    op.drop_index(op.f("ix_external_identity_user_id"), table_name="external_identity")
    op.drop_table("external_identity")
