"""organisation search and sort keys, so that the overview searches and sorts in the database

Revision ID: 0008_name_keys
Revises: 0007_members
Create Date: 2026-11-23 18:40:00

"""
from alembic import op
import sqlalchemy as sa

from app.models.organisation import name_key, normalise

revision = "0008_name_keys"
down_revision = "0007_members"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(length=250), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("sort_key", sa.String(length=250), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_organisation_sort_key"), ["sort_key"], unique=False)
    organisation = sa.table("organisation", sa.column("id", sa.Integer), sa.column("name", sa.String),
                            sa.column("successor_name", sa.String), sa.column("search_key", sa.String),
                            sa.column("sort_key", sa.String))
    connection = op.get_bind()
    for id_, name, successor in connection.execute(
            sa.select(organisation.c.id, organisation.c.name, organisation.c.successor_name)).all():
        connection.execute(organisation.update().where(organisation.c.id == id_).values(
            search_key="|".join(normalise(n) for n in (name, successor) if n), sort_key=name_key(name)))


def downgrade():
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_sort_key"))
        batch_op.drop_column("sort_key")
        batch_op.drop_column("search_key")
