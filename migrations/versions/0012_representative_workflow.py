"""representatives move through the representative workflow: state, state_since, version; a lock row per seat

The decision's who, when and why are in the audit log (representative.approve/reject events), so the columns
that repeated them go; `pending` proposals are now in the state `proposed`.

Rolling upgrade: change. It renames representative.status to state and drops the decision columns the version before
it reads and writes: that version fails against the upgraded schema. Stop every server before `db upgrade` (a short
downtime).

Revision ID: 0012_representative_workflow
Revises: 0011_contribution_agreement
Create Date: 2026-11-24 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0012_representative_workflow"
down_revision = "0011_contribution_agreement"
branch_labels = None
depends_on = None

representative = sa.table("representative", sa.column("organisation_id", sa.Integer), sa.column("group", sa.String),
                          sa.column("seat", sa.Integer), sa.column("state", sa.String),
                          sa.column("status", sa.String), sa.column("state_since", sa.DateTime),
                          sa.column("proposed_at", sa.DateTime), sa.column("decided_at", sa.DateTime))


def upgrade():
    with op.batch_alter_table("representative") as batch_op:
        batch_op.add_column(sa.Column("state_since", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.drop_index("ix_representative_status")
        batch_op.alter_column("status", new_column_name="state", existing_type=sa.String(length=20),
                              type_=sa.String(length=30), existing_nullable=False)
    op.execute(representative.update().where(representative.c.state == "pending").values(state="proposed"))
    op.execute(representative.update().values(
        state_since=sa.func.coalesce(representative.c.decided_at, representative.c.proposed_at)))
    with op.batch_alter_table("representative") as batch_op:
        batch_op.create_index(batch_op.f("ix_representative_state"), ["state"], unique=False)
        batch_op.alter_column("state_since", existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column("version", existing_type=sa.Integer(), server_default=None)
        batch_op.drop_constraint("fk_representative_decided_by_id_user", type_="foreignkey")
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decision_comment")

    op.create_table(
        "representative_seat",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=20), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_representative_seat_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("organisation_id", "group", "seat", name=op.f("pk_representative_seat")),
    )
    seat = sa.table("representative_seat", sa.column("organisation_id", sa.Integer), sa.column("group", sa.String),
                    sa.column("seat", sa.Integer), sa.column("version", sa.Integer))
    op.execute(seat.insert().from_select(
        ["organisation_id", "group", "seat", "version"],
        sa.select(representative.c.organisation_id, representative.c.group, representative.c.seat,
                  sa.literal(1)).distinct()))


def downgrade():
    op.drop_table("representative_seat")
    with op.batch_alter_table("representative") as batch_op:
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("decision_comment", sa.Text(), nullable=True))
        batch_op.create_foreign_key("fk_representative_decided_by_id_user", "user", ["decided_by_id"], ["id"])
        batch_op.drop_index(batch_op.f("ix_representative_state"))
        batch_op.alter_column("state", new_column_name="status", existing_type=sa.String(length=30),
                              type_=sa.String(length=20), existing_nullable=False)
    op.execute(representative.update().where(representative.c.status == "proposed").values(status="pending"))
    op.execute(representative.update().where(representative.c.status != "pending")
               .values(decided_at=representative.c.state_since))
    with op.batch_alter_table("representative") as batch_op:
        batch_op.drop_column("version")
        batch_op.drop_column("state_since")
        batch_op.create_index(batch_op.f("ix_representative_status"), ["status"], unique=False)
