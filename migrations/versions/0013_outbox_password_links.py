"""outbox rows say whose link to set a password they carry; no stored mail holds such a link any more

The worker now makes the link as it sends the mail. Existing rows lose the links they hold: a mail still waiting
gets the placeholder the worker fills in (with a fresh link), a mail already sent keeps a note that the link was
removed. Downgrading drops the column only; a waiting mail then goes out with the placeholder, not a link.

Rolling upgrade: change. It rewrites the waiting mails' bodies to hold a placeholder the version before it would
send as it is. Stop the mail workers and servers of that version before `db upgrade`.

Revision ID: 0013_outbox_password_links
Revises: 0012_representative_workflow
Create Date: 2026-12-01 10:00:00

"""
import re

from alembic import op
import sqlalchemy as sa

revision = "0013_outbox_password_links"
down_revision = "0012_representative_workflow"
branch_labels = None
depends_on = None

PLACEHOLDER = "[lenke for å velge passord]"
REMOVED = "[lenken er fjernet]"
# The whole link, with the server in front: /invitasjon/<token>, not /min-kommune/invitasjon/<case id>.
LINK = re.compile(r"""[^\s"<>]*(?<!/min-kommune)/invitasjon/[^\s"<>]+""")

outbox = sa.table("outbox_message", sa.column("id", sa.Integer), sa.column("recipient", sa.String),
                  sa.column("body_text", sa.Text), sa.column("body_html", sa.Text),
                  sa.column("sent_at", sa.DateTime), sa.column("password_link_user_id", sa.Integer))
user = sa.table("user", sa.column("id", sa.Integer), sa.column("email", sa.String))


def upgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("password_link_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_outbox_message_password_link_user_id_user"), "user",
                                    ["password_link_user_id"], ["id"])
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.body_text, outbox.c.body_html, outbox.c.sent_at, user.c.id.label("user_id"))
        .select_from(outbox.outerjoin(user, user.c.email == outbox.c.recipient))
        .where(outbox.c.body_text.like("%/invitasjon/%"))).all()
    for row in rows:
        if not LINK.search(row.body_text):
            continue
        waiting = row.sent_at is None and row.user_id is not None
        replacement = PLACEHOLDER if waiting else REMOVED
        connection.execute(outbox.update().where(outbox.c.id == row.id).values(
            body_text=LINK.sub(replacement, row.body_text), body_html=LINK.sub(replacement, row.body_html),
            password_link_user_id=row.user_id if waiting else None))


def downgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint("fk_outbox_message_password_link_user_id_user", type_="foreignkey")
        batch_op.drop_column("password_link_user_id")
