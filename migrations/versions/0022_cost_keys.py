"""cost_key: the cost-sharing key of the shared R&D resource (agreement §11), its parties' terms and its shares per
party and year

Rolling upgrade: add. New tables only.

Revision ID: 0022_cost_keys
Revises: 0021_party_seats
Create Date: 2026-11-30 12:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0022_cost_keys"
down_revision = "0021_party_seats"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cost_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("remainder_to_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("agenda_item", sa.String(length=200), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("state_since", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["remainder_to_id"], ["organisation.id"],
                                name=op.f("fk_cost_key_remainder_to_id_organisation")),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["user.id"], name=op.f("fk_cost_key_drafted_by_id_user")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f("fk_cost_key_meeting_id_meeting")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_key")),
    )
    op.create_index(op.f("ix_cost_key_first_year"), "cost_key", ["first_year"])
    op.create_index(op.f("ix_cost_key_state"), "cost_key", ["state"])
    op.create_table(
        "cost_key_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["key_id"], ["cost_key.id"], name=op.f("fk_cost_key_party_key_id_cost_key"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_cost_key_party_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_key_party")),
        sa.UniqueConstraint("key_id", "organisation_id", name=op.f("uq_cost_key_party_key_id")),
    )
    op.create_index(op.f("ix_cost_key_party_key_id"), "cost_key_party", ["key_id"])
    op.create_table(
        "cost_key_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=10), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["key_id"], ["cost_key.id"], name=op.f("fk_cost_key_share_key_id_cost_key"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_cost_key_share_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreement.id"],
                                name=op.f("fk_cost_key_share_agreement_id_agreement")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_key_share")),
        sa.UniqueConstraint("key_id", "year", "organisation_id", name=op.f("uq_cost_key_share_key_id")),
    )
    op.create_index(op.f("ix_cost_key_share_key_id"), "cost_key_share", ["key_id"])
    op.create_index(op.f("ix_cost_key_share_organisation_id"), "cost_key_share", ["organisation_id"])


def downgrade():
    op.drop_table("cost_key_share")
    op.drop_table("cost_key_party")
    op.drop_table("cost_key")
