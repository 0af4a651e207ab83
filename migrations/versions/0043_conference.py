"""conference, conference_session, conference_registration: the annual conference, its programme and its
registrations; outbox_message.cancel_link_registration_id: the mail that carries a registration's cancel link (made
as it goes out)

Rolling upgrade: add.

Revision ID: 0043_conference
Revises: 0042_news
Create Date: 2026-11-30 20:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0043_conference"
down_revision = "0042_news"
branch_labels = None
CANCEL_LINK_FK = "fk_outbox_message_cancel_link_registration"
depends_on = None


def upgrade():
    op.create_table(
        "conference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_deadline", sa.Date(), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("places_version", sa.Integer(), nullable=False),
        sa.Column("personal_data_deleted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conference")),
    )
    op.create_index(op.f("ix_conference_held_on"), "conference", ["held_on"])
    op.create_table(
        "conference_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("speakers", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"],
                                name=op.f("fk_conference_session_conference_id_conference"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conference_session")),
    )
    op.create_index(op.f("ix_conference_session_conference_id"), "conference_session", ["conference_id"])
    op.create_table(
        "conference_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False, server_default="nb"),
        sa.Column("organisation_text", sa.String(length=200), nullable=True),
        sa.Column("dietary_needs", sa.String(length=500), nullable=True),
        sa.Column("cancel_token_hash", sa.String(length=64), nullable=True),
        sa.Column("personal_data_deleted_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("state_since", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"],
                                name=op.f("fk_conference_registration_conference_id_conference")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_conference_registration_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conference_registration")),
        sa.UniqueConstraint("cancel_token_hash", name=op.f("uq_conference_registration_cancel_token_hash")),
    )
    op.create_index(op.f("ix_conference_registration_conference_id"), "conference_registration", ["conference_id"])
    op.create_index(op.f("ix_conference_registration_organisation_id"), "conference_registration",
                    ["organisation_id"])
    op.create_index(op.f("ix_conference_registration_state"), "conference_registration", ["state"])
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("cancel_link_registration_id", sa.Integer(), nullable=True))
        # Named by hand: the conventional name is longer than PostgreSQL's 63 characters.
        batch_op.create_foreign_key(batch_op.f(CANCEL_LINK_FK), "conference_registration",
                                    ["cancel_link_registration_id"], ["id"])


def downgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(batch_op.f(CANCEL_LINK_FK), type_="foreignkey")
        batch_op.drop_column("cancel_link_registration_id")
    op.drop_index(op.f("ix_conference_registration_state"), table_name="conference_registration")
    op.drop_index(op.f("ix_conference_registration_organisation_id"), table_name="conference_registration")
    op.drop_index(op.f("ix_conference_registration_conference_id"), table_name="conference_registration")
    op.drop_table("conference_registration")
    op.drop_index(op.f("ix_conference_session_conference_id"), table_name="conference_session")
    op.drop_table("conference_session")
    op.drop_index(op.f("ix_conference_held_on"), table_name="conference")
    op.drop_table("conference")
