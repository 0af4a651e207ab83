"""organisation search and sort keys, so that the overview searches and sorts in the database

Rolling upgrade: add. New columns with a default, filled for existing rows; an organisation the version before it
adds meanwhile gets empty keys until it is saved again.

Revision ID: 0008_name_keys
Revises: 0007_members
Create Date: 2026-11-23 18:40:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = "0008_name_keys"
down_revision = "0007_members"
branch_labels = None
depends_on = None

# The keys as app/models/organisation.py made them when this revision was written, copied so that the revision
# does the same whatever the app's code says later.
FILLER = {"kommune", "kommunen", "kommuner", "kommunene", "kommunar", "kommunane", "herad", "heradet",
          "heradskommune", "i", "og"}
FOLDS = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a"), ("oe", "o"))
AFTER_Z = str.maketrans({"æ": "zzza", "ø": "zzzb", "å": "zzzc"})


def normalise(text):
    text = unicodedata.normalize("NFKD", text.lower())
    for letter, ascii_ in FOLDS:
        text = text.replace(letter, ascii_)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in FILLER)


def name_key(name):
    return name.lower().translate(AFTER_Z)


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
