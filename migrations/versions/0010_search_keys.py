"""search keys for people and subgroups, so that every list with a search box folds Norwegian letters alike

Rolling upgrade: add. A new column with a default, filled for existing rows; a person or subgroup the version before
it adds meanwhile gets an empty key until it is saved again.

Revision ID: 0010_search_keys
Revises: 0009_case_lookup
Create Date: 2026-11-30 09:00:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = "0010_search_keys"
down_revision = "0009_case_lookup"
branch_labels = None
depends_on = None

# The key as app/search.py made it when this revision was written, copied so that the revision does the same
# whatever the app's code says later.
FILLER = {"kommune", "kommunen", "kommuner", "kommunene", "kommunar", "kommunane", "herad", "heradet",
          "heradskommune", "i", "og"}
FOLDS = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a"), ("oe", "o"))


def fold(text):
    text = unicodedata.normalize("NFKD", text.lower())
    for letter, ascii_ in FOLDS:
        text = text.replace(letter, ascii_)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in FILLER)


def key(*texts):
    return "|".join(fold(text) for text in texts if text)


# table: the two texts its key is made of
KEYED = {"user": ("name", "email"), "subgroup": ("name", "mandate")}


def upgrade():
    connection = op.get_bind()
    for name, (first, second) in KEYED.items():
        with op.batch_alter_table(name) as batch_op:
            batch_op.add_column(sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
        table = sa.table(name, sa.column("id", sa.Integer), sa.column(first, sa.String),
                         sa.column(second, sa.String), sa.column("search_key", sa.Text))
        for id_, one, other in connection.execute(sa.select(table.c.id, table.c[first], table.c[second])).all():
            connection.execute(table.update().where(table.c.id == id_).values(search_key=key(one, other)))


def downgrade():
    for name in KEYED:
        with op.batch_alter_table(name) as batch_op:
            batch_op.drop_column("search_key")
