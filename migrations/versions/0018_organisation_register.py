"""the organisation register: names and numbers over time, predecessors and successors, kinds, målform, mailbox

Each organisation's name and numbers become history rows valid from the start. The old "from 2020" columns become
history too: the same name with a new number is a new number from 01.01.2020; another name is a merger, so the
successor becomes an organisation of its own (one per number, e.g. Alver 4631 for Lindås, Meland and Radøy), linked
to its predecessors from 01.01.2020, whose last day is 31.12.2019. The old columns and the uniqueness of names and
numbers go (two organisations may share a name over time: Øygarden before and after 2020). A downgrade puts the
successors back into those columns and removes the successor organisations nothing else refers to.

Rolling upgrade: change. It moves names and numbers into history tables and removes the columns and unique
constraints the version before it reads (successor_name, successor_number): that version fails against the upgraded
schema. Stop every server before `db upgrade`.

Revision ID: 0018_organisation_register
Revises: 0016_audit_rechain
Create Date: 2026-11-30 10:00:00

"""
import re
import unicodedata
from datetime import date

from alembic import op
import sqlalchemy as sa

revision = "0018_organisation_register"
down_revision = "0016_audit_rechain"
branch_labels = None
depends_on = None

REFORM, LAST_DAY_BEFORE = date(2020, 1, 1), date(2019, 12, 31)
# The knowledge institutions of the demo data by the kind they are; any other institution becomes a university or
# university college, which the adviser can change in the register.
INSTITUTION_KINDS = {"Universitetet i Bergen": "university", "Høgskulen på Vestlandet": "university",
                     "NORCE Helse": "research_institute", "Helse Bergen": "health_trust",
                     "Folkehelseinstituttet": "state_agency", "Haraldsplass Diakonale Sykehus": "private_nonprofit"}
FORMS = (" fylkeskommune", " kommune", " herad")
# The keys as app/search.py and app/models/organisation.py made them when this revision was written.
FILLER = {"kommune", "kommunen", "kommuner", "kommunene", "kommunar", "kommunane", "herad", "heradet",
          "heradskommune", "i", "og"}
FOLDS = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a"), ("oe", "o"))
AFTER_Z = str.maketrans({"æ": "zzza", "ø": "zzzb", "å": "zzzc"})

organisation = sa.table(
    "organisation", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("kind", sa.String),
    sa.column("number", sa.String), sa.column("org_number", sa.String), sa.column("region", sa.String),
    sa.column("is_host", sa.Boolean), sa.column("successor_name", sa.String),
    sa.column("successor_number", sa.String), sa.column("official_name", sa.String),
    sa.column("active_from", sa.Date), sa.column("active_to", sa.Date), sa.column("search_key", sa.Text),
    sa.column("number_key", sa.Text), sa.column("sort_key", sa.String), sa.column("written_standard", sa.String))
names = sa.table("organisation_name", sa.column("id", sa.Integer), sa.column("organisation_id", sa.Integer),
                 sa.column("valid_from", sa.Date), sa.column("name", sa.String), sa.column("official_name", sa.String))
numbers = sa.table("organisation_number", sa.column("id", sa.Integer), sa.column("organisation_id", sa.Integer),
                   sa.column("scheme", sa.String), sa.column("value", sa.String), sa.column("valid_from", sa.Date))
succession = sa.table("organisation_succession", sa.column("predecessor_id", sa.Integer),
                      sa.column("successor_id", sa.Integer), sa.column("first_day", sa.Date))


def fold(text):
    text = unicodedata.normalize("NFKD", text.lower())
    for letter, ascii_ in FOLDS:
        text = text.replace(letter, ascii_)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in FILLER)


def official(name):
    """The old rule for letters ("X kommune"), unless the name already carries its form."""
    return name if name.lower().endswith(FORMS) else f"{name} kommune"


def short(official_name):
    for form in FORMS:
        if official_name.lower().endswith(form):
            return official_name[:-len(form)].strip()
    return official_name


def upgrade():
    connection = op.get_bind()
    old = connection.execute(sa.select(
        organisation.c.id, organisation.c.name, organisation.c.kind, organisation.c.number,
        organisation.c.org_number, organisation.c.region, organisation.c.successor_name,
        organisation.c.successor_number).order_by(organisation.c.id)).all()
    _foreign_keys_off(connection)
    op.create_table(
        "organisation_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("official_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_organisation_name_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_name")),
        sa.UniqueConstraint("organisation_id", "valid_from", name=op.f("uq_organisation_name_organisation_id")),
    )
    op.create_index(op.f("ix_organisation_name_organisation_id"), "organisation_name", ["organisation_id"])
    op.create_table(
        "organisation_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=9), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_organisation_number_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_number")),
        sa.UniqueConstraint("organisation_id", "scheme", "valid_from",
                            name=op.f("uq_organisation_number_organisation_id")),
    )
    op.create_index(op.f("ix_organisation_number_organisation_id"), "organisation_number", ["organisation_id"])
    op.create_index(op.f("ix_organisation_number_value"), "organisation_number", ["value"])
    op.create_table(
        "organisation_succession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["predecessor_id"], ["organisation.id"],
                                name=op.f("fk_organisation_succession_predecessor_id_organisation")),
        sa.ForeignKeyConstraint(["successor_id"], ["organisation.id"],
                                name=op.f("fk_organisation_succession_successor_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_succession")),
        sa.UniqueConstraint("predecessor_id", "successor_id",
                            name=op.f("uq_organisation_succession_predecessor_id")),
    )
    op.create_index(op.f("ix_organisation_succession_predecessor_id"), "organisation_succession", ["predecessor_id"])
    op.create_index(op.f("ix_organisation_succession_successor_id"), "organisation_succession", ["successor_id"])
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.add_column(sa.Column("official_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("written_standard", sa.String(length=10), nullable=False,
                                      server_default="bokmal"))
        batch_op.add_column(sa.Column("mailbox", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("active_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("active_to", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("number_key", sa.Text(), nullable=False, server_default=""))
        batch_op.alter_column("search_key", existing_type=sa.String(length=250), type_=sa.Text(),
                              existing_nullable=False)
        batch_op.alter_column("name", existing_type=sa.String(length=120), type_=sa.String(length=200),
                              existing_nullable=False)
        batch_op.drop_constraint("uq_organisation_name", type_="unique")
        batch_op.drop_constraint("uq_organisation_number", type_="unique")
        batch_op.drop_column("successor_name")
        batch_op.drop_column("successor_number")
    _fill_history(connection, old)
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.alter_column("written_standard", existing_type=sa.String(length=10), server_default=None)
        batch_op.alter_column("number_key", existing_type=sa.Text(), server_default=None)


def _foreign_keys_off(connection):
    """SQLite copies `organisation` to change it, and dropping the old table would take the rows pointing at it
    along (SQLite's own advice for such a copy: foreign keys off, before any transaction begins). migrations/env.py
    turns them on again when the revisions are done."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")


def _fill_history(connection, rows):
    successors = {}  # number -> id of the organisation made for it
    for id_, name, kind, number, org_number, region, successor_name, successor_number in rows:
        if kind == "institution":
            kind = INSTITUTION_KINDS.get(name, "university")
        connection.execute(organisation.update().where(organisation.c.id == id_).values(
            kind=kind, official_name=official(name) if kind == "municipality" else name))
        connection.execute(names.insert().values(organisation_id=id_, valid_from=None, name=name,
                                                 official_name=official(name) if kind == "municipality" else name))
        for scheme, value in (("municipality", number), ("organisation", org_number)):
            if value:
                connection.execute(numbers.insert().values(organisation_id=id_, scheme=scheme, value=value,
                                                           valid_from=None))
        if not successor_name or successor_name == name:
            if successor_number and successor_number != number:
                connection.execute(numbers.insert().values(organisation_id=id_, scheme="municipality",
                                                           value=successor_number, valid_from=REFORM))
        elif not successor_number:
            connection.execute(names.insert().values(organisation_id=id_, valid_from=REFORM,
                                                     name=short(official(successor_name)),
                                                     official_name=official(successor_name)))
        else:
            if successor_number not in successors:
                made = connection.execute(organisation.insert().values(
                    name=short(official(successor_name)), official_name=official(successor_name),
                    kind="municipality", region=region, is_host=False, active_from=REFORM,
                    written_standard="bokmal", search_key="", number_key="", sort_key="").returning(
                    organisation.c.id)).scalar_one()
                successors[successor_number] = made
                connection.execute(names.insert().values(organisation_id=made, valid_from=None,
                                                         name=short(official(successor_name)),
                                                         official_name=official(successor_name)))
                connection.execute(numbers.insert().values(organisation_id=made, scheme="municipality",
                                                           value=successor_number, valid_from=None))
            connection.execute(succession.insert().values(predecessor_id=id_, successor_id=successors[successor_number],
                                                          first_day=REFORM))
            connection.execute(organisation.update().where(organisation.c.id == id_).values(active_to=LAST_DAY_BEFORE))
    _fill_keys(connection)


def _fill_keys(connection):
    """Today's name and number on each organisation, and its search keys (its names and those of the
    organisations before and after it; every number it had)."""
    today = date.today()
    by_org = {}
    for org_id, valid_from, name, official_name in connection.execute(sa.select(
            names.c.organisation_id, names.c.valid_from, names.c.name, names.c.official_name)):
        by_org.setdefault(org_id, []).append((valid_from or date.min, name, official_name))
    numbers_of = {}
    for org_id, scheme, value, valid_from in connection.execute(sa.select(
            numbers.c.organisation_id, numbers.c.scheme, numbers.c.value, numbers.c.valid_from)):
        numbers_of.setdefault(org_id, []).append((valid_from or date.min, scheme, value))
    related = {}
    for predecessor, successor in connection.execute(sa.select(succession.c.predecessor_id,
                                                               succession.c.successor_id)):
        related.setdefault(predecessor, []).append(successor)
        related.setdefault(successor, []).append(predecessor)
    for org_id, held in by_org.items():
        held.sort()
        _, name, official_name = [h for h in held if h[0] <= today][-1]
        own = sorted(numbers_of.get(org_id, []))
        current = [value for start, scheme, value in own if scheme == "municipality" and start <= today]
        texts = [t for h in held for t in h[1:]] + \
            [t for other in related.get(org_id, []) for h in sorted(by_org[other]) for t in h[1:]]
        connection.execute(organisation.update().where(organisation.c.id == org_id).values(
            name=name, official_name=official_name, number=current[-1] if current else None,
            search_key="|".join(dict.fromkeys(fold(t) for t in texts if t)),
            sort_key=name.lower().translate(AFTER_Z)[:250],
            number_key="|" + "".join(f"{value}|" for _, _, value in own)))


def _referred_to(connection) -> set:
    """The organisations that a row outside the register's own tables points at."""
    inspector = sa.inspect(connection)
    found = set()
    for table in inspector.get_table_names():
        if table.startswith("organisation"):
            continue
        for key in inspector.get_foreign_keys(table):
            if key["referred_table"] == "organisation":
                column = sa.column(key["constrained_columns"][0])
                found |= set(connection.execute(sa.select(column).select_from(sa.table(table))
                                                .where(column.is_not(None))).scalars())
    return found


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(organisation.c.id, organisation.c.kind)).all()
    # Each organisation's names, oldest first, as the old columns wrote them ("Voss", "Voss herad").
    held = {org_id: sorted(((f or date.min), n if o == f"{n} kommune" else o) for f, n, o in connection.execute(
        sa.select(names.c.valid_from, names.c.name, names.c.official_name).where(names.c.organisation_id == org_id)))
        for org_id, _ in rows}
    own = {org_id: sorted(((f or date.min), v) for f, v in connection.execute(sa.select(
        numbers.c.valid_from, numbers.c.value).where(numbers.c.organisation_id == org_id,
                                                     numbers.c.scheme == "municipality"))) for org_id, _ in rows}
    after = dict(connection.execute(sa.select(succession.c.predecessor_id, succession.c.successor_id)).all())
    unused = set(after.values()) - _referred_to(connection)
    _foreign_keys_off(connection)
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.add_column(sa.Column("successor_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("successor_number", sa.String(length=4), nullable=True))
        batch_op.alter_column("search_key", existing_type=sa.Text(), type_=sa.String(length=250),
                              existing_nullable=False)
        batch_op.alter_column("name", existing_type=sa.String(length=200), type_=sa.String(length=120),
                              existing_nullable=False)
        batch_op.drop_column("number_key")
        batch_op.drop_column("active_to")
        batch_op.drop_column("active_from")
        batch_op.drop_column("mailbox")
        batch_op.drop_column("written_standard")
        batch_op.drop_column("official_name")
    op.drop_table("organisation_succession")
    op.drop_table("organisation_number")
    op.drop_table("organisation_name")
    # A successor is a name and number on its predecessors again; one that nothing else refers to goes.
    connection.execute(organisation.delete().where(organisation.c.id.in_(unused)))
    for org_id, kind in rows:
        if org_id in unused:
            continue
        # The name and number it had first; as "from 2020" its successor's, or its own latest.
        first_name, first_number = held[org_id][0][1], own[org_id][0][1] if own[org_id] else None
        if org_id in after:
            successor_name, successor_number = held[after[org_id]][-1][1], \
                own[after[org_id]][-1][1] if own[after[org_id]] else None
        else:
            successor_name, successor_number = held[org_id][-1][1], own[org_id][-1][1] if own[org_id] else None
        connection.execute(organisation.update().where(organisation.c.id == org_id).values(
            name=first_name, number=first_number, successor_name=successor_name, successor_number=successor_number,
            kind="municipality" if kind in ("municipality", "county") else "institution",
            search_key="|".join(fold(n) for n in (first_name, successor_name) if n),
            sort_key=first_name.lower().translate(AFTER_Z)[:250]))
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.create_unique_constraint("uq_organisation_name", ["name"])
        batch_op.create_unique_constraint("uq_organisation_number", ["number"])
