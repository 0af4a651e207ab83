"""mailbox_link: links sent to an organisation's official mailbox (an invitation's reply link, the confirmation of
a request to join), by token hash; join_request: municipalities asking to join outside a round

The outbox row names the link its placeholder stands for; the mail worker makes the token as it sends the mail.

Rolling upgrade: add. New tables and a new nullable column.

Revision ID: 0020_mailbox_links
Revises: 0019_mergers
Create Date: 2026-11-30 11:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0020_mailbox_links"
down_revision = "0019_mergers"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mailbox_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("minted_at", sa.DateTime(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["membership_case.id"],
                                name=op.f("fk_mailbox_link_case_id_membership_case")),
        sa.ForeignKeyConstraint(["reply_id"], ["invitation_reply.id"],
                                name=op.f("fk_mailbox_link_reply_id_invitation_reply")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_mailbox_link_decided_by_id_user")),
        sa.ForeignKeyConstraint(["contact_id"], ["user.id"], name=op.f("fk_mailbox_link_contact_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailbox_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_mailbox_link_token_hash")),
    )
    op.create_index(op.f("ix_mailbox_link_case_id"), "mailbox_link", ["case_id"])
    op.create_table(
        "join_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decided_by", sa.String(length=20), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_join_request_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["link_id"], ["mailbox_link.id"], name=op.f("fk_join_request_link_id_mailbox_link")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_join_request_recorded_by_id_user")),
        sa.ForeignKeyConstraint(["case_id"], ["membership_case.id"],
                                name=op.f("fk_join_request_case_id_membership_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_request")),
    )
    op.create_index(op.f("ix_join_request_organisation_id"), "join_request", ["organisation_id"])
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("mailbox_link_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_outbox_message_mailbox_link_id_mailbox_link"), "mailbox_link",
                                    ["mailbox_link_id"], ["id"])


def downgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint("fk_outbox_message_mailbox_link_id_mailbox_link", type_="foreignkey")
        batch_op.drop_column("mailbox_link_id")
    op.drop_index(op.f("ix_join_request_organisation_id"), table_name="join_request")
    op.drop_table("join_request")
    op.drop_index(op.f("ix_mailbox_link_case_id"), table_name="mailbox_link")
    op.drop_table("mailbox_link")
