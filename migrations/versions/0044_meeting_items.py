"""meeting_item, meeting_item_document: numbered agenda items with documents and decisions; the minutes' workflow
columns on meeting; cost_key, subgroup and merger name the agenda item they were decided under.

Existing meetings keep their free-text agenda (shown as it was). Minutes written before this revision were shown to
every invitee: they count as approved (outside the app), so that they stay readable; a meeting without minutes
starts a draft.

Rolling upgrade: add. New tables and columns the running version ignores (the new columns of meeting have
defaults in the database).

Revision ID: 0044_meeting_items
Revises: 0043_conference
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0044_meeting_items"
down_revision = "0043_conference"
branch_labels = None
depends_on = None

meeting = sa.table("meeting", sa.column("minutes", sa.Text), sa.column("minutes_file", sa.String),
                   sa.column("minutes_state", sa.String), sa.column("minutes_state_since", sa.DateTime),
                   sa.column("created_at", sa.DateTime))
REFERRING = ("cost_key", "subgroup", "merger")


def upgrade():
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.add_column(sa.Column("minutes_state", sa.String(length=30), nullable=False, server_default="draft"))
        batch_op.add_column(sa.Column("minutes_state_since", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("minutes_version", sa.Integer(), nullable=False, server_default="1"))
    op.execute(meeting.update().where(sa.or_(meeting.c.minutes != "", meeting.c.minutes_file.is_not(None)))
               .values(minutes_state="approved"))
    op.execute(meeting.update().values(minutes_state_since=meeting.c.created_at))
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.alter_column("minutes_state_since", existing_type=sa.DateTime(), nullable=False)
    op.create_table(
        "meeting_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("approves_minutes_of_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_item_meeting_id_meeting"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["approves_minutes_of_id"], ["meeting.id"],
                                name=op.f("fk_meeting_item_approves_minutes_of_id_meeting")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_meeting_item_decided_by_id_user")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_meeting_item_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_item")),
        sa.UniqueConstraint("series", "year", "number", name=op.f("uq_meeting_item_series")),
    )
    op.create_index(op.f("ix_meeting_item_meeting_id"), "meeting_item", ["meeting_id"])
    op.create_index(op.f("ix_meeting_item_approves_minutes_of_id"), "meeting_item", ["approves_minutes_of_id"])
    op.create_table(
        "meeting_item_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["meeting_item.id"],
                                name=op.f("fk_meeting_item_document_item_id_meeting_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"],
                                name=op.f("fk_meeting_item_document_uploaded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_item_document")),
    )
    op.create_index(op.f("ix_meeting_item_document_item_id"), "meeting_item_document", ["item_id"])
    for table in REFERRING:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("meeting_item_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_meeting_item_id"), ["meeting_item_id"], unique=False)
            batch_op.create_foreign_key(batch_op.f(f"fk_{table}_meeting_item_id_meeting_item"), "meeting_item",
                                        ["meeting_item_id"], ["id"])


def downgrade():
    for table in REFERRING:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_meeting_item_id_meeting_item"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_meeting_item_id"))
            batch_op.drop_column("meeting_item_id")
    op.drop_index(op.f("ix_meeting_item_document_item_id"), table_name="meeting_item_document")
    op.drop_table("meeting_item_document")
    op.drop_index(op.f("ix_meeting_item_approves_minutes_of_id"), table_name="meeting_item")
    op.drop_index(op.f("ix_meeting_item_meeting_id"), table_name="meeting_item")
    op.drop_table("meeting_item")
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_column("minutes_version")
        batch_op.drop_column("minutes_state_since")
        batch_op.drop_column("minutes_state")
