"""news_item: news for the public website, a draft until the adviser publishes it.

Rolling upgrade: add. A new table.

Revision ID: 0042_news
Revises: 0041_shared_files
Create Date: 2026-11-30 20:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0042_news"
down_revision = "0041_shared_files"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "news_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("state_since", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_news_item_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_item")),
    )
    op.create_index(op.f("ix_news_item_published_on"), "news_item", ["published_on"], unique=False)
    op.create_index(op.f("ix_news_item_state"), "news_item", ["state"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_news_item_state"), table_name="news_item")
    op.drop_index(op.f("ix_news_item_published_on"), table_name="news_item")
    op.drop_table("news_item")
